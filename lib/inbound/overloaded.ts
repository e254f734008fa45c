// "Not now": the process cannot take this request without growing past a bound (every
// body slot in use, the event write queue full). Neither the sender's mistake nor a
// failure: the HTTP layer answers 503 with Retry-After, and providers retry webhooks
// that get one.
export class OverloadedError extends Error {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds = 1) {
    super(message);
    this.name = "OverloadedError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * By name, not instanceof: Next.js bundles this module once per route and once for
 * instrumentation, and the error may come from a store created by another bundle.
 */
export function isOverloaded(err: unknown): err is OverloadedError {
  return err instanceof Error && err.name === "OverloadedError" && typeof (err as OverloadedError).retryAfterSeconds === "number";
}
