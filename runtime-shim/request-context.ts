// The calling request's id, kept in async context: env.kv/env.db calls and outgoing fetches carry it so the
// platform can count and log them per pulse request.

import { AsyncLocalStorage } from "node:async_hooks";

export const currentRequest = new AsyncLocalStorage<string>();
