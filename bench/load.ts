// The load part of `npm run bench` (BENCH_ONLY=load): 1,000 pulses on a plan with SQL, requests spread
// round-robin over all of them with a fixed mix of KV reads, KV writes and SQL writes+reads, for a bounded
// time; error rate, latency, throughput, and the runtime's memory sampled through the run (growth in the
// second half against the first tells a leak from a warm-up).

import type { LocalPlatform } from "../supervisor/local-platform.ts";
import { runtimeRssMiB } from "../supervisor/process-memory.ts";
import { BENCH_SQL_PLAN, seedFleet } from "./fleet.ts";
import { runOverPulses, type RunFigures } from "./load-client.ts";
import { hostGet } from "./deploy.ts";

/** One pulse, three kinds of work chosen by path: 60% KV reads, 25% KV writes, 15% SQL. */
export const MIXED_PULSE = `export default async function run(input, env, ctx) {
  const key = "k" + Math.floor(Math.random() * 100);
  const op = new URL(ctx.request.url).pathname.slice(1);
  if (op === "kv-read") return { value: await env.kv.get(key) };
  if (op === "kv-write") { await env.kv.put(key, String(Date.now())); return { ok: true }; }
  if (op === "sql") {
    await env.db.exec("CREATE TABLE IF NOT EXISTS hits (k TEXT PRIMARY KEY, n INTEGER NOT NULL)");
    await env.db.query("INSERT INTO hits (k, n) VALUES (?, 1) ON CONFLICT (k) DO UPDATE SET n = n + 1", [key]);
    return { rows: await env.db.query("SELECT n FROM hits WHERE k = ?", [key]) };
  }
  return { ok: true };
}`;
export const MIX = [...Array(12).fill("/kv-read"), ...Array(5).fill("/kv-write"), ...Array(3).fill("/sql")] as string[];

export interface LoadFigures extends RunFigures {
  pulses: number;
  seconds: number;
  connections: number;
  requests: number;
  errorRate: number;
  statusCodes: Record<string, number>;
  rssMiB: {
    before: number;
    samples: { s: number; mib: number }[];
    after: number;
    firstHalfMax: number;
    secondHalfMax: number;
  };
  /** Every 5 s: the dispatcher's process, and each runtime cell (none without cells); cells recycled in the run. */
  processMiB: { dispatcher: number[]; cells: number[][] };
  recycles: number;
}

export async function measureLoad(
  platform: LocalPlatform,
  code: string,
  count: number,
  seconds: number,
  connections: number,
  recycles: () => number = () => 0,
): Promise<LoadFigures> {
  const names = await seedFleet(platform, count, code, { prefix: "load", plan: BENCH_SQL_PLAN });
  // Every pulse loaded once (and its SQL table created), so the run measures steady state.
  for (let i = 0; i < names.length; i += 50) {
    await Promise.all(names.slice(i, i + 50).map((n) => hostGet(platform.url, `${n}.pulses.localhost`, "/sql")));
  }
  const before = runtimeRssMiB();
  const started = Date.now();
  const samples: { s: number; mib: number }[] = [];
  const processMiB = { dispatcher: [] as number[], cells: platform.cells.map(() => [] as number[]) };
  const recyclesBefore = recycles();
  const sampler = setInterval(() => {
    samples.push({ s: Math.round((Date.now() - started) / 1000), mib: Math.round(runtimeRssMiB()) });
    processMiB.dispatcher.push(Math.round(platform.rssMiB()));
    for (const [i, c] of platform.cells.entries()) processMiB.cells[i]!.push(Math.round(c.rssMiB() || 0)); // 0: restarting
  }, 5000);
  const run = await runOverPulses(platform.url, names, seconds, connections, MIX);
  clearInterval(sampler);
  const half = seconds / 2;
  const max = (xs: { mib: number }[]) => Math.max(0, ...xs.map((x) => x.mib));
  return {
    ...run,
    pulses: count,
    seconds,
    connections,
    errorRate: (run.errors + (run.requests - (run.statusCodes["200"] ?? 0))) / Math.max(1, run.requests + run.errors),
    rssMiB: {
      before: Math.round(before),
      samples,
      after: Math.round(runtimeRssMiB()),
      firstHalfMax: max(samples.filter((x) => x.s <= half)),
      secondHalfMax: max(samples.filter((x) => x.s > half)),
    },
    processMiB,
    recycles: recycles() - recyclesBefore,
  };
}

export function formatLoad(f: LoadFigures): string {
  return `load: ${f.pulses} pulses, mix 60% KV read / 25% KV write / 15% SQL, ${f.connections} connections, ${f.seconds} s
  ${f.rps.toFixed(0)} req/s  p50 ${f.p50} ms  p99 ${f.p99} ms  requests ${f.requests}  error rate ${(f.errorRate * 100).toFixed(3)}%  status codes ${JSON.stringify(f.statusCodes)}  socket errors ${f.errors}
  workerd RSS: ${f.rssMiB.before} MiB before, every 5 s: ${f.rssMiB.samples.map((x) => x.mib).join(", ")} MiB, after ${f.rssMiB.after} MiB
  max in the first half ${f.rssMiB.firstHalfMax} MiB, in the second half ${f.rssMiB.secondHalfMax} MiB: ${growth(f)}
  the dispatcher's process, every 5 s: ${f.processMiB.dispatcher.join(", ")} MiB${f.processMiB.cells
    .map((series, i) => `\n  runtime cell ${i}, every 5 s: ${series.join(", ")} MiB`)
    .join("")}${f.processMiB.cells.length ? `\n  cells recycled at their memory budget: ${f.recycles}` : ""}`;
}

/** Memory growth over the run, per minute: a figure, not a verdict (a leak shows as steady growth across runs). */
function growth(f: LoadFigures): string {
  const first = f.rssMiB.samples[0];
  const last = f.rssMiB.samples.at(-1);
  if (!first || !last || last.s === first.s) return "too few samples";
  const perMinute = ((last.mib - first.mib) / (last.s - first.s)) * 60;
  return `${last.mib - first.mib >= 0 ? "+" : ""}${last.mib - first.mib} MiB over ${last.s - first.s} s (${perMinute.toFixed(0)} MiB/min)`;
}
