// Entry of the shim as bundled into every pulse: `export default servePulse(run, module)` (the module for its
// `schedule` and `scheduled` exports). The outbound fetch wrapper is imported first so it is installed before
// any user module code runs.
import "./outbound-fetch.ts";
import { serveRun } from "./serve.ts";
import { buildUserEnv } from "./user-env.ts";

export function servePulse(
  run: unknown,
  pulseModule: Record<string, unknown> = {},
): ExportedHandler<Record<string, unknown>> {
  return serveRun(run, buildUserEnv, pulseModule);
}
export type {
  PulseDB,
  PulseEnv,
  PulseKV,
  PulseContext,
  PulseInput,
  RunFunction,
  ScheduledEvent,
  ScheduledContext,
  ScheduledFunction,
  PulseSchedule,
} from "./contract.ts";
