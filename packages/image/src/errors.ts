/** Bad input from the user (flags, app name, platform, base path): the command exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
