// The many-pulses part of `npm run bench`: N pulses deployed (same code, so one bundle, but N pulses and
// N isolates), requests spread round-robin over all of them versus all on one pulse; the runtime's memory
// sampled during the run; and env.db query latency measured inside a pulse.

import autocannon from "autocannon";
import { contentHash, putBundle } from "../platform/bundle-store.ts";
import { newId } from "../platform/names.ts";
import type { PlanLimits } from "../platform/plans.ts";
import { activateVersion, insertPulse, insertTenant, insertVersion, type PlatformDb } from "../platform/registry.ts";
import type { LocalPlatform } from "../supervisor/local-platform.ts";
import { establishPulses } from "./establish.ts";
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

export type RunFigures = {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
  statusCodes: Record<string, number>;
};

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

/**
 * autocannon round-robin over the given pulses' hosts. `overallRate` (requests per second over all connections)
 * offers a fixed load instead of as much as the runtime takes.
 */
export async function runOverPulses(
  url: URL,
  hosts: string[],
  seconds: number,
  connections: number,
  paths: string[] = ["/"],
  overallRate?: number,
) {
  let next = 0;
  const result = await autocannon({
    url: url.origin,
    connections,
    duration: seconds,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        setupRequest: (req: { headers?: Record<string, string> }) => {
          const i = next++;
          req.headers = { ...(req.headers ?? {}), host: `${hosts[i % hosts.length]}.pulses.localhost` };
          (req as { path?: string }).path = paths[Math.floor(Math.random() * paths.length)]!; // independent of the host
          return req;
        },
      },
    ],
  } as autocannon.Options);
  return figuresOf(result);
}

/** The figures every bench part reports, from one autocannon result. */
export function figuresOf(result: autocannon.Result): RunFigures {
  const statusCodes = Object.fromEntries(
    Object.entries((result as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {}).map(
      ([code, s]) => [code, s.count],
    ),
  );
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
    statusCodes,
  };
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
  const onePulse = await runOverPulses(platform.url, [names[0]!], seconds, connections);
  const roundRobin = await runOverPulses(platform.url, names, seconds, connections);
  const sweep: FleetFigures["sweep"] = [];
  for (const size of SWEEP.filter((n) => n < names.length)) {
    const r = await runOverPulses(platform.url, names.slice(0, size), Math.max(2, Math.ceil(seconds / 2)), connections);
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
