// The many-pulses part of `npm run bench`: N pulses deployed (same code, so one bundle, but N pulses and
// N isolates), requests spread round-robin over all of them versus all on one pulse; the runtime's memory
// sampled during the run; and env.db query latency measured inside a pulse.

import { contentHash, putBundle } from "../platform/bundle-store.ts";
import { newId } from "../platform/names.ts";
import type { PlanLimits } from "../platform/plans.ts";
import { activateVersion, insertPulse, insertTenant, insertVersion, type PlatformDb } from "../platform/registry.ts";
import type { LocalPlatform } from "../supervisor/local-platform.ts";
import { establishPulses } from "./establish.ts";
import { runOverPulsesApart, type RunFigures } from "./load-client.ts";
import { runtimeRssMiB } from "../supervisor/process-memory.ts";

/**
 * Plans with limits out of the way: the bench measures the runtime, not the rate limiter. BENCH_PLAN has no
 * SQL (so the counter pulse does what the plain counter Worker does); BENCH_SQL_PLAN is for env.db.
 */
export const BENCH_PLAN = "bench";
export const BENCH_SQL_PLAN = "benchsql";
const BENCH_LIMITS: PlanLimits = {
  sql: false,
  requestsPerMinute: 1_000_000,
  kvOpsPerRequest: 100_000,
  kvValueBytes: 25 * 1024 * 1024,
  requestBodyBytes: 10 * 1024 * 1024,
  subrequestsPerRequest: 1000,
  cpuMs: 1000,
  wallMs: 60_000,
  maxPulses: 1_000_000,
  logRetentionHours: 1,
};

export async function ensureBenchPlans(db: PlatformDb): Promise<void> {
  for (const [name, limits] of [
    [BENCH_PLAN, BENCH_LIMITS],
    [BENCH_SQL_PLAN, { ...BENCH_LIMITS, sql: true }],
  ] as const) {
    await db.batch([
      db
        .prepare(`INSERT OR REPLACE INTO plans (name, limits, created_at, updated_at) VALUES (?1, ?2, 0, 0)`)
        .bind(name, JSON.stringify(limits)),
      db.prepare(`DELETE FROM egress_rules WHERE scope = 'plan' AND scope_id = ?1`).bind(name),
      db
        .prepare(
          `INSERT INTO egress_rules (scope, scope_id, position, rule, created_at) VALUES ('plan', ?1, 0, '{"action":"allow","host":"*"}', 0)`,
        )
        .bind(name),
    ]);
  }
}

/** Deploys `count` pulses named {prefix}-0 ... {prefix}-{count-1} with the same bundle, on one tenant of `plan`. */
export async function seedFleet(
  platform: LocalPlatform,
  count: number,
  code: string,
  options: { prefix?: string; plan?: string } = {},
): Promise<string[]> {
  const { db, bundles } = platform;
  const prefix = options.prefix ?? "fleet";
  const tenantId = newId("t");
  await insertTenant(db, {
    id: tenantId,
    name: `${prefix}-${Date.now().toString(36)}`,
    plan: options.plan ?? BENCH_PLAN,
  });
  const versionId = await contentHash(code);
  await putBundle(bundles, versionId, code);
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const CONCURRENCY = 16;
  for (let i = 0; i < names.length; i += CONCURRENCY) {
    await Promise.all(
      names.slice(i, i + CONCURRENCY).map(async (name) => {
        const pulseId = newId("p");
        await insertPulse(db, { id: pulseId, name, tenantId });
        await insertVersion(db, { pulseId, versionId, sizeBytes: code.length, createdBy: "bench" });
        await activateVersion(db, { pulseId, versionId, kind: "deploy", createdBy: "bench" });
      }),
    );
  }
  return names;
}

const SWEEP = [10, 50, 100, 200, 400, 700];

export interface FleetFigures {
  pulses: number;
  onePulse: RunFigures;
  roundRobin: RunFigures;
  ratio: number;
  /** Round-robin throughput over growing sets of pulses: where it falls is the runtime's cap on live isolates. */
  sweep: { pulses: number; rps: number; p50: number; p99: number }[];
  rssMiB: { before: number; samples: number[]; after: number };
}

export async function measureFleet(
  platform: LocalPlatform,
  names: string[],
  seconds: number,
  connections: number,
): Promise<FleetFigures> {
  // Warm-up: every pulse leaves probation (bench/establish.ts), so both figures are of established pulses in the
  // general cells; cold isolate starts and newcomers on probation are figures of their own.
  await establishPulses(platform.url, names, "fleet pulses");
  const before = runtimeRssMiB();
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(Math.round(runtimeRssMiB())), 2000);
  const run = (hosts: string[], seconds: number) =>
    runOverPulsesApart({ url: platform.url.origin, hosts, seconds, connections });
  const onePulse = await run([names[0]!], seconds);
  const roundRobin = await run(names, seconds);
  const sweep: FleetFigures["sweep"] = [];
  for (const size of SWEEP.filter((n) => n < names.length)) {
    const r = await run(names.slice(0, size), Math.max(2, Math.ceil(seconds / 2)));
    sweep.push({ pulses: size, rps: r.rps, p50: r.p50, p99: r.p99 });
  }
  sweep.push({ pulses: names.length, rps: roundRobin.rps, p50: roundRobin.p50, p99: roundRobin.p99 });
  clearInterval(sampler);
  return {
    pulses: names.length,
    onePulse,
    roundRobin,
    ratio: roundRobin.rps / onePulse.rps,
    sweep,
    rssMiB: { before: Math.round(before), samples, after: Math.round(runtimeRssMiB()) },
  };
}

/** env.db latency as the pulse sees it: N sequential queries timed inside the pulse, p50/p99 in ms. */
export const DB_LATENCY_PULSE = `export default async function run(input, env) {
  await env.db.exec("CREATE TABLE IF NOT EXISTS m (k TEXT PRIMARY KEY, v INTEGER)");
  const n = Number(input.n ?? 200);
  const read = [], write = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    await env.db.query("INSERT OR REPLACE INTO m (k, v) VALUES (?, ?)", ["k" + (i % 50), i]);
    write.push(performance.now() - t);
    t = performance.now();
    await env.db.query("SELECT v FROM m WHERE k = ?", ["k" + (i % 50)]);
    read.push(performance.now() - t);
  }
  const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };
  return { n, read: { p50: pct(read, 0.5), p99: pct(read, 0.99) }, write: { p50: pct(write, 0.5), p99: pct(write, 0.99) } };
}`;
