// The supervisor's calls to the control plane's admin API (the watchdog's view of the cells, its quarantines and
// probations), with one admin token minted by the local key and renewed well before it expires.

import type { LocalPlatform } from "./local-platform.ts";

/** Tokens are minted for this long and renewed well before. */
const TOKEN_LIFETIME = "10m";
const TOKEN_RENEW_MS = 5 * 60_000;

export type AdminFetch = (
  path: string,
  init?: { method?: string; body?: unknown; timeoutMs?: number },
) => Promise<Response>;

export function createAdminFetch(platform: LocalPlatform): AdminFetch {
  let token: { value: string; at: number } | undefined;
  return async (path, init = {}) => {
    if (!token || Date.now() - token.at > TOKEN_RENEW_MS)
      token = {
        value: await platform.mint({ role: "admin", sub: "local-watchdog" }, TOKEN_LIFETIME),
        at: Date.now(),
      };
    return fetch(new URL(path, platform.url), {
      method: init.method ?? "GET",
      headers: {
        authorization: `Bearer ${token.value}`,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      ...(init.timeoutMs ? { signal: AbortSignal.timeout(init.timeoutMs) } : {}),
    });
  };
}
