// Which pulse request is running: kept in async context so every fetch() user code makes carries the
// request id to the outbound worker (subrequest accounting and logs per request). Installed when the shim
// module is evaluated, which is before user code: the entry imports the shim first.

import { AsyncLocalStorage } from "node:async_hooks";
import { REQUEST_ID_HEADER } from "../platform/errors.ts";

export const currentRequest = new AsyncLocalStorage<string>();

const platformFetch = globalThis.fetch;

globalThis.fetch = function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const requestId = currentRequest.getStore();
  if (requestId === undefined) return platformFetch(input, init);
  const request = new Request(input, init);
  request.headers.set(REQUEST_ID_HEADER, requestId);
  return platformFetch(request);
};
