// Entry of the shim as bundled into every pulse: `export default servePulse(run)`. The outbound fetch
// wrapper is imported first so it is installed before any user module code runs.
import "./outbound-fetch.ts";
import { serveRun } from "./serve.ts";
import { buildUserEnv } from "./user-env.ts";

export function servePulse(run: unknown): ExportedHandler<Record<string, unknown>> {
  return serveRun(run, buildUserEnv);
}
export type { PulseDB, PulseEnv, PulseKV, PulseContext, PulseInput, RunFunction } from "./contract.ts";
