// The control-plane API as the CLI sees it: the platform's typed client (platform/api-client), its failures
// turned into one clear CliError with a hint and the exit code the failure means.

import { ApiFailure, createApiClient, type ApiClient } from "../platform/api-client/client.ts";
import type { CliConfig } from "./config.ts";
import { CliError, EXIT } from "./errors.ts";

export type { ApiClient, LogPage } from "../platform/api-client/client.ts";
export { bodyOf } from "../platform/api-client/client.ts";

const HINTS: Record<string, string> = {
  token_missing: "run `pulse login`",
  token_expired: "ask your admin for a new token, then `pulse login`",
  token_invalid: "check the token given to `pulse login`",
  pulse_not_found: "`pulse list` shows the pulses you can reach",
  name_taken: "pick another name",
  plan_limit_reached: "delete a pulse or ask your admin for a bigger plan",
  no_previous_version: "`pulse versions <pulse>` lists the versions you can roll back to",
};

export function apiClient(config: CliConfig): ApiClient {
  const base = config.url.replace(/\/+$/, "");
  const client = createApiClient({ baseUrl: base, token: () => config.token });
  client.use({ onError: ({ error }) => cliErrorOf(error, base) });
  return client;
}

/** The CliError a failed call amounts to; details carry the platform's code and status for callers to test. */
function cliErrorOf(error: unknown, base: string): Error {
  if (!(error instanceof ApiFailure)) return error instanceof Error ? error : new Error(String(error));
  if (error.code === "network_error") {
    const reason = error.cause instanceof Error ? error.cause.message : error.message;
    return new CliError(`Cannot reach the platform at ${base}: ${reason}`, {
      hint: "is it running? (`npm start` locally)",
    });
  }
  const { code, status } = error;
  return new CliError(`${error.message} (${code})`, {
    exitCode: status === 401 ? EXIT.auth : code === "build_failed" ? EXIT.build : EXIT.failed,
    hint: HINTS[code],
    details: { code, status, ...(error.details !== undefined ? { details: error.details } : {}) },
  });
}
