// Entry of the shim as bundled into every pulse: `export default servePulse(run, module)` (the module for its
// `schedule` and `scheduled` exports). The outbound fetch wrapper and the log capture are imported first so
// they are installed before any user module code runs.
import "./outbound-fetch.ts";
import { pulseLogs } from "./log-capture.ts";
import { serveRun } from "./serve.ts";
import { buildUserEnv } from "./user-env.ts";

export function servePulse(
  run: unknown,
  pulseModule: Record<string, unknown> = {},
): ExportedHandler<Record<string, unknown>> {
  return serveRun(run, buildUserEnv, pulseModule, pulseLogs ?? undefined);
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
