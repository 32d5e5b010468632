// The control-plane API as the CLI sees it: JSON in and out, the platform's error shape turned into one
// clear CliError with a hint.

import { CliError, EXIT } from "./errors.ts";
import type { CliConfig } from "./config.ts";

const HINTS: Record<string, string> = {
  token_missing: "run `pulse login`",
  token_expired: "ask your admin for a new token, then `pulse login`",
  token_invalid: "check the token given to `pulse login`",
  pulse_not_found: "`pulse list` shows the pulses you can reach",
  name_taken: "pick another name",
  plan_limit_reached: "delete a pulse or ask your admin for a bigger plan",
  no_previous_version: "`pulse versions <pulse>` lists the versions you can roll back to",
};

export interface ApiClient {
  request<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  raw(method: string, path: string, headers?: Record<string, string>): Promise<Response>;
}

export function apiClient(config: CliConfig): ApiClient {
  const base = config.url.replace(/\/+$/, "");
  const raw = async (method: string, path: string, headers: Record<string, string> = {}, body?: string) => {
    try {
      return await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${config.token}`, ...headers },
        body,
      });
    } catch (error) {
      throw new CliError(`Cannot reach the platform at ${base}: ${(error as Error).message}`, {
        hint: "is it running? (`npm start` locally)",
      });
    }
  };
  return {
    raw: (method, path, headers) => raw(method, path, headers),
    async request(method, path, body, headers = {}) {
      const res = await raw(
        method,
        path,
        body === undefined ? headers : { "content-type": "application/json", ...headers },
        body === undefined ? undefined : JSON.stringify(body),
      );
      const text = await res.text();
      let parsed: any = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = null;
      }
      if (res.ok) return parsed;
      const error = parsed?.error as { code?: string; message?: string; details?: unknown } | undefined;
      const code = error?.code ?? `http_${res.status}`;
      throw new CliError(`${error?.message ?? `The platform answered ${res.status}`} (${code})`, {
        exitCode: res.status === 401 ? EXIT.auth : code === "build_failed" ? EXIT.build : EXIT.failed,
        hint: HINTS[code],
        details: { code, status: res.status, ...(error?.details !== undefined ? { details: error.details } : {}) },
      });
    },
  };
}
