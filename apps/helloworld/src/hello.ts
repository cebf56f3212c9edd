import type { HttpFunction } from '@hands-on-knative/function-runtime';

/** Answers every request with `Hello <target>!`, like Knative's hello-world samples. */
export function createHello(target: string): HttpFunction {
  const greeting = `Hello ${target}!\n`;
  return () => greeting;
}
