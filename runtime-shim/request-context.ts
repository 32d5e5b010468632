// The request being handled, kept in async context: env.kv/env.db calls and outgoing fetches carry its id so
// the platform can count and log them per pulse request, and log lines written under it (even from a
// ctx.waitUntil after the answer) carry its id and are sent under its waitUntil (log-capture.ts).

import { AsyncLocalStorage } from "node:async_hooks";

/** The run's own ctx object (serve.ts): nothing is allocated per request for the async context. */
export interface RequestScope {
  readonly requestId: string;
  waitUntil(promise: Promise<unknown>): void;
}

export const currentRequest = new AsyncLocalStorage<RequestScope>();
