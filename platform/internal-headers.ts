// Requests to a pulse that only the platform makes carry one of these headers. The dispatcher removes them
// from every end user's request before it reaches a pulse, so the shim can trust them: no one else can
// reach a pulse (pulses cannot fetch the platform's own hosts; see outbound/).

/** The scheduler runs the pulse's scheduled handler: JSON { cron, scheduledTime }. */
export const SCHEDULED_RUN_HEADER = "x-pulse-scheduled";
/** The platform asks the shim what the version exports (its schedule), without running a handler. */
export const DESCRIBE_HEADER = "x-pulse-describe";

export const PLATFORM_ONLY_HEADERS: readonly string[] = [SCHEDULED_RUN_HEADER, DESCRIBE_HEADER];

/** What the shim answers to a describe request. */
export interface PulseDescription {
  /** The `schedule` export as it is (validated by the platform, not the shim: croner stays out of pulses). */
  schedule: unknown;
  /** "scheduled" when the module exports scheduled(event, env, ctx); else scheduled runs call run(). */
  scheduledHandler: "scheduled" | "run";
}
