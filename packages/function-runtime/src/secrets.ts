// The process-wide list of values that no log line may contain. Configuration
// loading adds the variables it was told are secret; the logger reads the list
// at write time, so a secret loaded after the logger was made is still hidden.
import { secretValuesFromEnv } from './redact.js';

export class SecretRegistry {
  #values: string[] = [];

  get values(): readonly string[] {
    return this.#values;
  }

  /** Adds the values of these variables (and of every variable named like a credential). */
  addFromEnv(env: NodeJS.ProcessEnv, names: Iterable<string> = []): void {
    this.addValues(secretValuesFromEnv(env, names));
  }

  addValues(values: Iterable<string>): void {
    const merged = new Set([...this.#values, ...values]);
    this.#values = [...merged].sort((a, b) => b.length - a.length);
  }
}

export const processSecrets = new SecretRegistry();
