// Every fetch() user code makes on the platform goes through this wrapper, installed when the shim module is
// evaluated (the entry imports the shim before user code). It adds two things for the outbound worker:
// - the request id, kept in async context, so subrequests are counted and logged per pulse request;
// - the redirect mode the caller asked for, while the hop itself is sent with redirect: "manual". The
//   outbound worker then follows redirects itself, hop by hop, re-checking each one (left to the runtime,
//   redirects would be followed on this side and the outbound worker would only ever see single hops).
// Not part of a standalone export: there fetch() is the runtime's own.

import { REDIRECT_MODE_HEADER, REQUEST_ID_HEADER } from "../platform/errors.ts";
import { currentRequest } from "./request-context.ts";

const platformFetch = globalThis.fetch;

globalThis.fetch = async function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const mode = request.redirect;
  const headers = new Headers(request.headers);
  headers.set(REDIRECT_MODE_HEADER, mode);
  const requestId = currentRequest.getStore()?.requestId;
  if (requestId !== undefined) headers.set(REQUEST_ID_HEADER, requestId);
  const response = await platformFetch(new Request(request, { headers, redirect: "manual" }));
  if (mode === "error" && response.status >= 300 && response.status < 400 && response.headers.has("location")) {
    throw new TypeError('fetch failed: the response was a redirect and redirect mode is "error"');
  }
  return response;
};
