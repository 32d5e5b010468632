// The soak part of `npm run bench` (BENCH_ONLY=soak; not part of a full run, it is long by design): 1,000 quiet
// pulses under a steady offered load for BENCH_SOAK_MINUTES, while the abusers of the noisy part come and go (in
// every interval each kind arrives as a new pulse, abuses for a while and goes). Every interval it prints the
// memory of each workerd process, the quiet pulses' failed answers and their p99 against the first interval's;
// at the end, whether memory levelled off. Memory that levels off, no failed quiet answer and a steady p99 over
// hours is what "the platform holds up" means for a self-hosted machine.

import type { LocalPlatform } from "../supervisor/local-platform.ts";
import { buildPulse } from "../supervisor/pulse-build.ts";
import { BENCH_PLAN, seedFleet } from "./fleet.ts";
import { runOverPulsesApart, type RunFigures } from "./load-client.ts";
import { runAbuser, seedAbusers, type AbuserKind } from "./noisy.ts";
import { establishPulses } from "./establish.ts";

const QUIET = `export default async function run(input, env) { return { ok: true, v: await env.kv.get("x") }; }`;
const KINDS: readonly AbuserKind[] = ["flood", "subrequests", "memory", "loop"];

export interface SoakOptions {
  minutes: number;
  intervalMinutes: number;
  pulses: number;
  /** Requests a second offered to the quiet pulses (a steady load, not as many as they answer). */
  rate: number;
  connections: number;
  restarts: () => number;
}

export interface SoakInterval {
  endedAtMin: number;
  quiet: RunFigures;
  /** Resident memory by process, MiB: the dispatcher's, then each cell's. */
  rssMiB: { dispatcher: number; cells: number[] };
  restarts: number;
  abusers: Record<string, Record<string, number>>;
}

export interface SoakFigures {
  options: Omit<SoakOptions, "restarts">;
  intervals: SoakInterval[];
}

export async function measureSoak(platform: LocalPlatform, options: SoakOptions): Promise<SoakFigures> {
  const quiet = await seedFleet(
    platform,
    options.pulses,
    await buildPulse({ files: { "index.js": QUIET }, main: "index.js" }),
    {
      prefix: `soak-${Date.now().toString(36)}`,
      plan: BENCH_PLAN,
    },
  );
  await establishPulses(platform.url, quiet, "quiet pulses");
  const started = Date.now();
  const intervals: SoakInterval[] = [];
  const count = Math.max(1, Math.round(options.minutes / options.intervalMinutes));
  const intervalSeconds = Math.round(options.intervalMinutes * 60);
  for (let i = 0; i < count; i++) {
    const restartsBefore = options.restarts();
    const abusing = comeAndGo(platform, `${i}-${Date.now().toString(36)}`, intervalSeconds);
    const figures = await runOverPulsesApart({
      url: platform.url.origin,
      hosts: quiet,
      seconds: intervalSeconds,
      connections: options.connections,
      overallRate: options.rate,
    });
    const interval: SoakInterval = {
      endedAtMin: Math.round((Date.now() - started) / 6_000) / 10,
      quiet: figures,
      rssMiB: {
        dispatcher: Math.round(platform.rssMiB()),
        cells: platform.cells.map((c) => Math.round(c.rssMiB())),
      },
      restarts: options.restarts() - restartsBefore,
      abusers: await abusing,
    };
    intervals.push(interval);
    console.log(formatInterval(interval, intervals[0]!));
  }
  return { options: { ...options, restarts: undefined } as Omit<SoakOptions, "restarts">, intervals };
}

/** Each kind of abuser arrives as a new pulse at a random moment of the interval and abuses for 10-30 s. */
async function comeAndGo(platform: LocalPlatform, tag: string, seconds: number) {
  const name = await seedAbusers(platform, KINDS, tag);
  const answers = await Promise.all(
    KINDS.map(async (kind) => {
      const stay = (10 + Math.random() * 20) * 1000;
      const arrive = Math.random() * Math.max(0, seconds * 1000 - stay);
      await new Promise((r) => setTimeout(r, arrive));
      return [kind, await runAbuser(kind, platform.url, name(kind), Date.now() + stay)] as const;
    }),
  );
  return Object.fromEntries(answers);
}

const failed = (r: RunFigures) => r.non2xx + r.errors;

function formatInterval(x: SoakInterval, first: SoakInterval): string {
  const p99Ratio = x.quiet.p99 / Math.max(1, first.quiet.p99);
  return (
    `  ${`${x.endedAtMin} min`.padStart(9)}  quiet ${x.quiet.requests} requests, failed ${failed(x.quiet)}, ` +
    `p50 ${x.quiet.p50} ms, p99 ${x.quiet.p99} ms (${p99Ratio.toFixed(2)}x the first)  ` +
    `RSS MiB dispatcher ${x.rssMiB.dispatcher}, cells ${x.rssMiB.cells.join(" / ")}  restarts ${x.restarts}  ` +
    `abusers ${Object.entries(x.abusers)
      .map(([k, c]) => `${k} ${JSON.stringify(c)}`)
      .join(" ")}`
  );
}

const total = (x: SoakInterval) => x.rssMiB.dispatcher + x.rssMiB.cells.reduce((a, b) => a + b, 0);

/** What a soak is held to: no failed quiet answer, p99 within 2x of the first interval, memory levelling off. */
export function soakVerdicts(f: SoakFigures): { name: string; ok: boolean }[] {
  const xs = f.intervals;
  const failures = xs.reduce((n, x) => n + failed(x.quiet), 0);
  const worstP99 = Math.max(...xs.map((x) => x.quiet.p99 / Math.max(1, xs[0]!.quiet.p99)));
  // Levelling off: the second half's highest total is within 10% (or 256 MiB) of the first half's. A cell's
  // memory grows with its requests until a recycle gives it back (supervisor/cell-recycle.ts), so the readings
  // are a sawtooth: it is the peaks that must stop rising, not the last reading.
  const half = Math.floor(xs.length / 2);
  const firstPeak = Math.max(...xs.slice(0, half).map(total));
  const secondPeak = Math.max(...xs.slice(half).map(total));
  const levels = xs.length < 3 || secondPeak <= firstPeak + Math.max(256, firstPeak / 10);
  return [
    { name: `quiet failed answers ${failures}`, ok: failures === 0 },
    { name: `worst interval p99 ${worstP99.toFixed(2)}x the first (target <= 2x)`, ok: worstP99 <= 2 },
    {
      name: `memory: highest total ${firstPeak} MiB in the first half, ${secondPeak} MiB in the second (levels off)`,
      ok: levels,
    },
  ];
}

export function formatSoak(f: SoakFigures): string {
  return soakVerdicts(f)
    .map((v) => `  ${v.name.padEnd(72)} ${v.ok ? "PASS" : "FAIL"}`)
    .join("\n");
}
