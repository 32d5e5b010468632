// How every failure reads on the page: the platform's error code, its message, and the request id to quote.

import { ApiFailure } from "../api.ts";

export function ErrorNotice({ error, id }: { error: unknown; id?: string }) {
  if (!error) return null;
  const failure =
    error instanceof ApiFailure
      ? error
      : new ApiFailure(0, "client_error", error instanceof Error ? error.message : String(error));
  return (
    <p class="error-notice" role="alert" id={id}>
      <code class="error-code">{failure.code}</code> {failure.message}
      {failure.requestId ? <small> (request {failure.requestId})</small> : null}
    </p>
  );
}
