// The `env` user code sees: exactly the documented keys, copied from what the host bound, frozen so one
// request cannot change what the next one sees.

import type { PulseEnv } from "./contract.ts";

export const USER_ENV_KEYS = ["kv", "VIBE_ID"] as const satisfies readonly (keyof PulseEnv)[];

export function buildUserEnv(hostEnv: Record<string, unknown>): PulseEnv {
  const env: Record<string, unknown> = {};
  for (const key of USER_ENV_KEYS) {
    if (hostEnv[key] !== undefined) env[key] = hostEnv[key];
  }
  return Object.freeze(env) as unknown as PulseEnv;
}
