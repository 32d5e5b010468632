// Imported before a platform bundle in an exported project. The bundle's shim wraps fetch() for the
// platform's outbound worker (redirect mode in a header, hops sent with redirect: "manual"); with no outbound
// worker behind it, this puts fetch back the way the runtime behaves: the header removed, the mode restored.

import { REDIRECT_MODE_HEADER, REQUEST_ID_HEADER } from "../platform/errors.ts";

const runtimeFetch = globalThis.fetch;

globalThis.fetch = async function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const mode = request.headers.get(REDIRECT_MODE_HEADER);
  if (mode === null) return runtimeFetch(request);
  const headers = new Headers(request.headers);
  headers.delete(REDIRECT_MODE_HEADER);
  headers.delete(REQUEST_ID_HEADER);
  const redirect = mode === "manual" || mode === "error" ? mode : "follow";
  return runtimeFetch(new Request(request, { headers, redirect }));
};
