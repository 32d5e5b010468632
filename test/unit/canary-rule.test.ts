import { describe, expect, it } from "vitest";
import {
  type ArmWindow,
  type CanaryPolicy,
  decideCanary,
  LATENCY_BOUNDS_MS,
  LATENCY_BUCKETS,
  latencyBucket,
  p99Of,
} from "../../platform/canary-rule.ts";

const POLICY: CanaryPolicy = { windowMs: 60_000, minRequests: 100, minLatencySamples: 200 };

/** `requests` answers at `ms` each, `errors` of them 5xx. */
function arm(requests: number, errors: number, ms = 8): ArmWindow {
  const histogram = new Array<number>(LATENCY_BUCKETS).fill(0);
  histogram[latencyBucket(ms)] = requests;
  return { requests, errors, histogram };
}

const decide = (live: ArmWindow, canary: ArmWindow, elapsedMs = 1000, policy = POLICY) =>
  decideCanary({ live, canary, elapsedMs, policy });

describe("the canary decision rule", () => {
  it("waits below the minimum samples on either side, however bad the canary looks", () => {
    expect(decide(arm(500, 0), arm(3, 3)).action).toBe("wait");
    expect(decide(arm(99, 0), arm(500, 500)).action).toBe("wait");
    const late = decide(arm(500, 0), arm(99, 0), 120_000);
    expect(late).toMatchObject({ action: "wait" });
    expect(late.reason).toContain("the window has passed, waiting for 100 requests on each side (canary 99, live 500)");
  });

  it("rolls back before the window ends when the error rate is worse beyond the margin and chance", () => {
    const d = decide(arm(1000, 10), arm(200, 40));
    expect(d.action).toBe("rollback");
    expect(d.reason).toBe("error rate 20.0% (40/200) against live 1.0% (10/1000)");
    expect(d.figures.canary).toMatchObject({ requests: 200, errors: 40, errorRate: 0.2 });
  });

  it("does not roll back for a difference within the 2-point margin, nor for one chance explains", () => {
    // 2.5% against 1%: beyond the margin by rate alone, but z is about 1.9 on these samples.
    expect(decide(arm(1000, 10), arm(200, 5)).action).toBe("wait");
    // 2.9% against 1% on large samples: z is high, but the margin holds.
    expect(decide(arm(100_000, 1000), arm(100_000, 2900)).action).not.toBe("rollback");
    expect(decide(arm(100_000, 1000), arm(100_000, 3100)).action).toBe("rollback");
  });

  it("compares p99 only with enough samples, then rolls back a 1.5x and 50 ms slower canary", () => {
    expect(decide(arm(150, 0, 8), arm(150, 0, 900)).action).toBe("wait"); // below minLatencySamples
    const slow = decide(arm(300, 0, 80), arm(300, 0, 400));
    expect(slow).toMatchObject({ action: "rollback", reason: "p99 500 ms against live 100 ms" });
    // Twice as slow but only 10 ms more: noise.
    expect(decide(arm(300, 0, 8), arm(300, 0, 18), 60_000).action).toBe("promote");
  });

  it("promotes once the window has passed with enough samples and nothing worse", () => {
    expect(decide(arm(300, 1), arm(300, 2), 59_999).action).toBe("wait");
    const d = decide(arm(300, 1), arm(300, 2), 60_000);
    expect(d.action).toBe("promote");
    expect(d.reason).toBe(
      "window of 60 s passed: error rate 0.7% (2/300) against live 0.3% (1/300), p99 10 ms against 10 ms",
    );
    expect(d.figures.elapsedMs).toBe(60_000);
  });

  it("is a function of its input: the same window gives the same decision", () => {
    const live = arm(400, 4);
    const canary = arm(400, 80);
    expect(decide(live, canary)).toEqual(decide(live, canary));
  });
});

describe("the latency histogram", () => {
  it("puts a wall time in the first bucket whose bound holds it, and the slowest past the last bound", () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(5)).toBe(0);
    expect(latencyBucket(5.1)).toBe(1);
    expect(latencyBucket(30_000)).toBe(LATENCY_BOUNDS_MS.length - 1);
    expect(latencyBucket(30_001)).toBe(LATENCY_BOUNDS_MS.length);
  });

  it("reads the p99 as the bound of the bucket the 99th percentile falls in", () => {
    const histogram = new Array<number>(LATENCY_BUCKETS).fill(0);
    expect(p99Of(histogram)).toBeNull();
    histogram[latencyBucket(8)] = 99;
    histogram[latencyBucket(700)] = 1;
    expect(p99Of(histogram)).toBe(10);
    histogram[latencyBucket(700)] = 2;
    expect(p99Of(histogram)).toBe(750);
  });
});
