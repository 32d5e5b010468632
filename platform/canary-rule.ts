// The canary's decision rule (docs/canary.md): from the figures of one window (requests, errors and a latency
// histogram for the live version and for the canary), promote, roll back or keep waiting. Pure: no clock, no
// storage; the data plane runs it on what it flushed to D1, the control plane on the same rows to show status.

import type { PlanLimits } from "./plans.ts";

/** Shares a canary may take, in percent of a pulse's traffic: below 1 it sees nothing; above 50 it is the live one. */
export const MIN_CANARY_SHARE = 1;
export const MAX_CANARY_SHARE = 50;

/** 10 min: long enough for a pulse with a request a second to give both sides hundreds of samples. */
export const DEFAULT_CANARY_WINDOW_MS = 10 * 60_000;
/** Requests each side needs before either error rate is compared: no decision on 3 requests. */
export const DEFAULT_CANARY_MIN_REQUESTS = 100;
/** A p99 needs about 100 samples per percent it leaves out; below this per side, latency is not compared. */
export const DEFAULT_CANARY_MIN_LATENCY_SAMPLES = 200;

/**
 * The canary is worse on errors when its error rate exceeds the live one by more than this (absolute, 2 points:
 * a pulse whose upstream flakes at 1% must not have every canary rolled back) ...
 */
export const ERROR_RATE_MARGIN = 0.02;
/** ... and the difference is unlikely to be chance: a one-sided two-proportion z-test at z >= 3 (about 0.13%). */
export const ERROR_Z_THRESHOLD = 3;
/** Worse on latency: p99 above the live p99 times this ... */
export const P99_RATIO_LIMIT = 1.5;
/** ... and by at least this many ms (a 2 ms p99 becoming 4 ms is noise, not a regression). */
export const P99_MIN_DIFFERENCE_MS = 50;

/**
 * Upper bounds (ms, inclusive) of the latency histogram's buckets; one more bucket holds everything slower. A
 * p99 is read as the bound of the bucket it falls in: coarse, but the rule compares with a 1.5x ratio anyway.
 */
export const LATENCY_BOUNDS_MS = [
  5, 10, 20, 35, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000, 30_000,
] as const;
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;
/** What a p99 in the open-ended last bucket reads as: the longest wall time any plan allows is below it. */
const SLOWEST_BUCKET_MS = 60_000;

/** The bucket of one request's wall time: a handful of comparisons, no allocation. */
export function latencyBucket(ms: number): number {
  let i = 0;
  while (i < LATENCY_BOUNDS_MS.length && ms > LATENCY_BOUNDS_MS[i]!) i++;
  return i;
}

/** One side's figures over the window. histogram[i]: requests in bucket i (LATENCY_BUCKETS entries). */
export interface ArmWindow {
  requests: number;
  errors: number;
  histogram: number[];
}

export interface CanaryPolicy {
  windowMs: number;
  minRequests: number;
  minLatencySamples: number;
}

/** The tenant's plan may set the window and the minimum samples (short ones for tests and small apps). */
export function canaryPolicyOf(limits: PlanLimits): CanaryPolicy {
  return {
    windowMs: limits.canaryWindowSeconds !== undefined ? limits.canaryWindowSeconds * 1000 : DEFAULT_CANARY_WINDOW_MS,
    minRequests: limits.canaryMinRequests ?? DEFAULT_CANARY_MIN_REQUESTS,
    minLatencySamples: limits.canaryMinLatencySamples ?? DEFAULT_CANARY_MIN_LATENCY_SAMPLES,
  };
}

export interface ArmFigures {
  requests: number;
  errors: number;
  /** errors / requests, 0 without requests. */
  errorRate: number;
  /** Upper bound of the bucket holding the 99th percentile; null without requests. */
  p99Ms: number | null;
}

export interface CanaryFigures {
  live: ArmFigures;
  canary: ArmFigures;
  elapsedMs: number;
}

export type CanaryDecision = { action: "wait" | "promote" | "rollback"; reason: string; figures: CanaryFigures };

/** The 99th percentile as the upper bound of its bucket; null without samples. */
export function p99Of(histogram: readonly number[]): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.ceil(total * 0.99);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) return LATENCY_BOUNDS_MS[i] ?? SLOWEST_BUCKET_MS;
  }
  return SLOWEST_BUCKET_MS;
}

export function figuresOf(arm: ArmWindow): ArmFigures {
  return {
    requests: arm.requests,
    errors: arm.errors,
    errorRate: arm.requests === 0 ? 0 : arm.errors / arm.requests,
    p99Ms: p99Of(arm.histogram),
  };
}

/** One-sided two-proportion z statistic of "the canary fails more often than live" (0 when undefined). */
export function errorZ(canary: ArmFigures, live: ArmFigures): number {
  const pooled = (canary.errors + live.errors) / (canary.requests + live.requests);
  const spread = Math.sqrt(pooled * (1 - pooled) * (1 / canary.requests + 1 / live.requests));
  return spread === 0 ? 0 : (canary.errorRate - live.errorRate) / spread;
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const errorText = (f: ArmFigures) => `${percent(f.errorRate)} (${f.errors}/${f.requests})`;

/**
 * The rule, in order:
 * 1. Either side below minRequests: wait.
 * 2. Canary error rate > live + ERROR_RATE_MARGIN and z >= ERROR_Z_THRESHOLD: roll back.
 * 3. Both sides at minLatencySamples or more, canary p99 > live p99 x P99_RATIO_LIMIT and more than
 *    P99_MIN_DIFFERENCE_MS above it: roll back.
 * 4. The window has passed: promote. Otherwise wait.
 * A rollback may come before the window ends; a promotion never does.
 */
export function decideCanary(input: {
  live: ArmWindow;
  canary: ArmWindow;
  elapsedMs: number;
  policy: CanaryPolicy;
}): CanaryDecision {
  const { policy, elapsedMs } = input;
  const figures: CanaryFigures = { live: figuresOf(input.live), canary: figuresOf(input.canary), elapsedMs };
  const { live, canary } = figures;
  const decide = (action: CanaryDecision["action"], reason: string): CanaryDecision => ({ action, reason, figures });

  if (canary.requests < policy.minRequests || live.requests < policy.minRequests) {
    const waiting = elapsedMs >= policy.windowMs ? "the window has passed, " : "";
    return decide(
      "wait",
      `${waiting}waiting for ${policy.minRequests} requests on each side ` +
        `(canary ${canary.requests}, live ${live.requests})`,
    );
  }
  if (canary.errorRate - live.errorRate > ERROR_RATE_MARGIN && errorZ(canary, live) >= ERROR_Z_THRESHOLD) {
    return decide("rollback", `error rate ${errorText(canary)} against live ${errorText(live)}`);
  }
  const latencyCompared =
    input.canary.requests >= policy.minLatencySamples && input.live.requests >= policy.minLatencySamples;
  if (latencyCompared && canary.p99Ms !== null && live.p99Ms !== null) {
    if (canary.p99Ms > live.p99Ms * P99_RATIO_LIMIT && canary.p99Ms - live.p99Ms > P99_MIN_DIFFERENCE_MS) {
      return decide("rollback", `p99 ${canary.p99Ms} ms against live ${live.p99Ms} ms`);
    }
  }
  const latency = latencyCompared ? `, p99 ${canary.p99Ms} ms against ${live.p99Ms} ms` : "";
  if (elapsedMs >= policy.windowMs) {
    return decide(
      "promote",
      `window of ${Math.round(policy.windowMs / 1000)} s passed: error rate ${errorText(canary)} ` +
        `against live ${errorText(live)}${latency}`,
    );
  }
  return decide("wait", `within the window: error rate ${errorText(canary)} against live ${errorText(live)}`);
}
