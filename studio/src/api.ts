// The studio's only way to the control plane: the platform's typed client (platform/api-client), same origin,
// the token as a bearer header. Every failure is an ApiFailure carrying the platform's error code, message and
// request id, which the page shows.

import { ApiFailure, type ApiClient, createApiClient } from "../../platform/api-client/client.ts";
import { readToken } from "./session.ts";

export { ApiFailure, bodyOf, type LogPage } from "../../platform/api-client/client.ts";

/** Fired when the control plane refuses the token (expired, revoked key...): the page signs out. */
export const TOKEN_REFUSED_EVENT = "pulse-studio-token-refused";

export const api: ApiClient = createApiClient({
  baseUrl: "",
  token: () => readToken() ?? undefined,
  init: { credentials: "omit", cache: "no-store" },
});
api.use({
  onError({ error }) {
    if (error instanceof ApiFailure && error.status === 401)
      dispatchEvent(new CustomEvent(TOKEN_REFUSED_EVENT, { detail: error }));
    return undefined;
  },
});

/** A pulse's name as the path parameter of the routes under /v1/pulses/{name}. */
export const pulseParams = (name: string) => ({ params: { path: { name } } });
