// The `env` user code sees: exactly the documented keys, copied from what the host bound, frozen so one
// request cannot change what the next one sees.

import type { PulseEnv } from "./contract.ts";

export const USER_ENV_KEYS = ["kv", "VIBE_ID", "secrets", "connections"] as const satisfies readonly (keyof PulseEnv)[];

export function buildUserEnv(hostEnv: Record<string, unknown>): PulseEnv {
  const env: Record<string, unknown> = {};
  for (const key of USER_ENV_KEYS) {
    const value = hostEnv[key];
    if (value === undefined) continue;
    // Reference maps are plain data: freeze them too, so one request cannot swap another's references.
    env[key] = typeof value === "object" && value !== null && (key === "secrets" || key === "connections") ? Object.freeze({ ...value }) : value;
  }
  return Object.freeze(env) as unknown as PulseEnv;
}
