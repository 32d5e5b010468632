// The noisy-neighbour part of `npm run bench` (BENCH_ONLY=noisy). Quiet pulses are measured alone (the
// baseline), then while abusive pulses run beside them: one flooded with requests (its plan's rate limit
// answers), one making as many subrequests as it can (its plan's subrequest limit answers), one allocating
// memory on every request until it is stopped or its isolate dies. A last phase adds a pulse stuck in `while (true) {}`:
// local workerd does not enforce cpuMs, so that one stalls the runtime until the watchdog restarts it
// (README "The local watchdog"); the phase measures what the quiet pulses lose while that happens.

import autocannon from "autocannon";
import { request } from "node:http";
import type { PlanLimits } from "../platform/plans.ts";
import type { LocalPlatform } from "../supervisor/local-platform.ts";
import { runtimeRssMiB } from "../supervisor/process-memory.ts";
import { BENCH_PLAN, figuresOf, runOverPulses, seedFleet, type RunFigures } from "./fleet.ts";
import { seedPulse } from "../supervisor/seed.ts";
import { runOverPulsesApart } from "./load-client.ts";
import { homeCell } from "../dispatcher/hosts/cell-host.ts";
import { buildPulse } from "../supervisor/pulse-build.ts";

/** Limits of the abusers' plan: a free plan's, with a rate a short flood exceeds, so each abuse meets its own answer. */
const ABUSE_PLAN = "abuse";
const ABUSE_LIMITS: PlanLimits = {
  sql: false,
  requestsPerMinute: 60,
  kvOpsPerRequest: 50,
  kvValueBytes: 1_048_576,
  requestBodyBytes: 1_048_576,
  subrequestsPerRequest: 5,
  cpuMs: 50,
  wallMs: 10_000,
  maxPulses: 100,
  logRetentionHours: 1,
};

const ABUSERS = {
  flood: `export default async function run() { return { ok: true }; }`,
  subrequests: `export default async function run() {
    const statuses = {};
    for (let i = 0; i < 20; i++) { const s = (await fetch("https://upstream.test/")).status; statuses[s] = (statuses[s] ?? 0) + 1; }
    // Passes the platform's refusal on, so the bench sees it in the status.
    return Response.json(statuses, { status: statuses[429] ? 429 : 200 });
  }`,
  // Keeps what it allocates across requests (module scope): 8 Mi small integers, 32 MiB of heap (4 bytes each
  // with pointer compression), per request until the isolate is stopped or 2 GiB is reached (a bound for this
  // shared machine).
  memory: `const kept = [];
  export default async function run() {
    if (kept.length >= 64) return { heldMiB: kept.length * 32, note: "bound reached" };
    kept.push(new Array(8 * 1024 * 1024).fill(kept.length));
    return { heldMiB: kept.length * 32 };
  }`,
  loop: `export default async function run() { for (;;) {} }`,
} as const;

const QUIET = `export default async function run(input, env) { return { ok: true, v: await env.kv.get("x") }; }`;

export interface NoisyFigures {
  seconds: number;
  connections: number;
  baseline: RunFigures;
  underAbuse: RunFigures;
  p99Ratio: number;
  abusers: Record<string, Record<string, number>>;
  rssMiB: { before: number; peak: number; after: number };
  /** With runtime cells: the cell each pulse's tenant runs in (a neighbour in the same cell shares its thread). */
  cells?: Record<string, number>;
  loop?: {
    quiet: RunFigures;
    restarts: number;
    loopAnswers: Record<string, number>;
    afterwards: Record<string, number>;
    loopAfter: string;
    recoveredAfterMs: number;
  };
}

/**
 * One request: its status (0 when the connection failed) and its answer's label, the status followed by the
 * platform's error code when the answer is one ("429 rate_limited"), so that each refusal is told apart from
 * what the pulse answered itself.
 */
function call(url: URL, host: string, timeoutMs = 20_000): Promise<{ status: number; label: string }> {
  return new Promise((ok) => {
    const req = request(
      { host: url.hostname, port: url.port, path: "/", headers: { host }, timeout: timeoutMs },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (body = (body + chunk).slice(0, 4096)));
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          let code: unknown;
          try {
            code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
          } catch {
            // not JSON: the pulse's own answer
          }
          ok({ status, label: typeof code === "string" ? `${status} ${code}` : String(status) });
        });
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => ok({ status: 0, label: "0" }));
    req.end();
  });
}

const status = async (url: URL, host: string, timeoutMs?: number) => (await call(url, host, timeoutMs)).status;

/** Sequential requests to one host until `until`, counted by answer label (0 = connection lost). */
async function hammer(url: URL, host: string, until: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  while (Date.now() < until) {
    const { label } = await call(url, host);
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

/** The abusers of the abuse phase; BENCH_NOISY_ABUSERS picks some, to tell which one costs the quiet pulses what. */
export const ABUSE_KINDS = ["flood", "subrequests", "memory"] as const;
export type AbuseKind = (typeof ABUSE_KINDS)[number];

export function abusersFromEnv(raw = process.env.BENCH_NOISY_ABUSERS): AbuseKind[] {
  if (!raw) return [...ABUSE_KINDS];
  if (raw.trim() === "none") return []; // the second phase repeats the first: the ratio's noise floor
  const picked = raw
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean);
  for (const k of picked)
    if (!(ABUSE_KINDS as readonly string[]).includes(k))
      throw new Error(`BENCH_NOISY_ABUSERS: unknown abuser "${k}" (abusers: ${ABUSE_KINDS.join(", ")})`);
  return picked as AbuseKind[];
}

export async function measureNoisy(
  platform: LocalPlatform,
  seconds: number,
  connections: number,
  options: { withLoop: boolean; restarts: () => number; abusers?: AbuseKind[]; quietRate?: number },
): Promise<NoisyFigures> {
  const abusers = new Set(options.abusers ?? ABUSE_KINDS);
  await platform.db
    .prepare(`INSERT OR REPLACE INTO plans (name, limits, created_at, updated_at) VALUES (?1, ?2, 0, 0)`)
    .bind(ABUSE_PLAN, JSON.stringify(ABUSE_LIMITS))
    .run();
  await platform.db
    .prepare(
      `INSERT OR IGNORE INTO egress_rules (scope, scope_id, position, rule, created_at) VALUES ('plan', ?1, 0, '{"action":"allow","host":"*"}', 0)`,
    )
    .bind(ABUSE_PLAN)
    .run();
  for (const [name, source] of Object.entries(ABUSERS)) {
    await seedPulse(platform.db, platform.bundles, {
      tenant: `abuser-${name}`,
      pulse: `abuse-${name}`,
      code: await buildPulse({ files: { "index.js": source }, main: "index.js" }),
      plan: ABUSE_PLAN,
    });
  }
  const quiet = await seedFleet(platform, 3, await buildPulse({ files: { "index.js": QUIET }, main: "index.js" }), {
    prefix: "quiet",
    plan: BENCH_PLAN,
  });
  const cells = platform.cells.length
    ? await cellsOf(platform, {
        quiet: quiet[0]!,
        ...Object.fromEntries(Object.keys(ABUSERS).map((k) => [k, `abuse-${k}`])),
      })
    : undefined;
  let url = platform.url;
  const measureQuiet = () =>
    runOverPulsesApart({
      url: url.origin,
      hosts: quiet,
      seconds,
      connections,
      ...(options.quietRate ? { overallRate: options.quietRate } : {}),
    });
  await runOverPulses(url, quiet, 1, connections); // warm-up

  const baseline = await measureQuiet();

  const before = runtimeRssMiB();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, runtimeRssMiB())), 1000);
  // The abusers run a second longer than the quiet pulses' client, which starts a process first: their window
  // covers its whole run.
  const abuseSeconds = seconds + 1;
  const until = Date.now() + abuseSeconds * 1000;
  // The abusers' clients run in this process, the quiet pulses' client in its own (load-client.ts): sharing one
  // event loop, the flood's answers were counted as the quiet pulses' latency.
  const flood = abusers.has("flood")
    ? autocannon({
        url: url.origin,
        connections: 20,
        duration: abuseSeconds,
        headers: { host: "abuse-flood.pulses.localhost" },
      } as autocannon.Options).then((r) => figuresOf(r).statusCodes)
    : Promise.resolve({});
  const [underAbuse, flooded, subrequests, memory] = await Promise.all([
    measureQuiet(),
    flood,
    abusers.has("subrequests")
      ? Promise.all([
          hammer(url, "abuse-subrequests.pulses.localhost", until),
          hammer(url, "abuse-subrequests.pulses.localhost", until),
        ]).then(([a, b]) => mergeCounts(a, b))
      : {},
    abusers.has("memory") ? hammer(url, "abuse-memory.pulses.localhost", until) : {},
  ]);
  clearInterval(sampler);

  const figures: NoisyFigures = {
    seconds,
    connections,
    baseline,
    underAbuse,
    p99Ratio: underAbuse.p99 / Math.max(1, baseline.p99),
    abusers: { flood: flooded, subrequests, memory },
    rssMiB: { before: Math.round(before), peak: Math.round(peak), after: Math.round(runtimeRssMiB()) },
    ...(cells ? { cells } : {}),
  };

  if (options.withLoop) {
    // One request into the loop, the quiet pulses measured meanwhile; then what the looping pulse answers.
    const restartsBefore = options.restarts();
    const loopUntil = Date.now() + seconds * 1000;
    const [quietDuringLoop, loopAnswers] = await Promise.all([
      measureQuiet(),
      (async () => {
        const counts: Record<string, number> = {};
        counts[(await call(url, "abuse-loop.pulses.localhost")).label] = 1;
        while (Date.now() < loopUntil) {
          await new Promise((r) => setTimeout(r, 500));
          const again = (await call(url, "abuse-loop.pulses.localhost", 2_000)).label;
          counts[again] = (counts[again] ?? 0) + 1;
        }
        return counts;
      })(),
    ]);
    // The watchdog restarts workerd (possibly on a new port when the bench asked for any port): wait for it.
    const deadline = Date.now() + 60_000;
    url = platform.url;
    while (Date.now() < deadline && (await status(platform.url, `${quiet[0]}.pulses.localhost`, 2_000)) !== 200) {
      await new Promise((r) => setTimeout(r, 500));
      url = platform.url;
    }
    const recoveredAfterMs = Date.now() - loopUntil;
    const afterwards = mergeCounts(
      ...(await Promise.all(quiet.map(async (q) => ({ [await status(url, `${q}.pulses.localhost`)]: 1 })))),
    );
    const loopAfter = (await call(url, "abuse-loop.pulses.localhost", 2_000)).label;
    figures.loop = {
      quiet: quietDuringLoop,
      restarts: options.restarts() - restartsBefore,
      loopAnswers,
      afterwards,
      loopAfter,
      recoveredAfterMs: Math.max(0, recoveredAfterMs),
    };
  }
  return figures;
}

/** The runtime cell of each named pulse's tenant. */
async function cellsOf(platform: LocalPlatform, pulses: Record<string, string>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [label, name] of Object.entries(pulses)) {
    const tenantId = await platform.db
      .prepare("SELECT tenant_id FROM pulses WHERE name = ?1")
      .bind(name)
      .first<string>("tenant_id");
    if (tenantId) out[label] = homeCell(tenantId, platform.cells.length);
  }
  return out;
}

/** Failed answers and lost connections over all attempts (autocannon counts lost connections apart). */
export function errorRate(r: RunFigures): number {
  return (r.non2xx + r.errors) / Math.max(1, r.requests + r.errors);
}

function mergeCounts(...all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of all) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export function formatNoisy(f: NoisyFigures): string {
  const line = (r: RunFigures) =>
    `${r.rps.toFixed(0)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx}  socket errors ${r.errors}`;
  const lines = [
    `noisy neighbours: 3 quiet pulses (KV read), ${f.connections} connections, ${f.seconds} s per phase`,
    `  quiet alone (baseline)            ${line(f.baseline)}`,
    `  ${`quiet beside ${Object.entries(f.abusers)
      .filter(([, c]) => Object.keys(c).length)
      .map(([k]) => k)
      .join("+")}`.padEnd(
      33,
    )} ${line(f.underAbuse)}   p99 ${f.p99Ratio.toFixed(2)}x baseline (target <= 2x), error rate ${(errorRate(f.underAbuse) * 100).toFixed(3)}%`,
    `  flooded pulse (20 connections, limit 60/min)  status codes ${JSON.stringify(f.abusers.flood)}`,
    `  subrequest pulse (20 fetches, limit 5)  answers ${JSON.stringify(f.abusers.subrequests)} (a bare 429 is the pulse's own, passing on its refused 6th fetch)`,
    `  memory pulse (+32 MiB per request)      answers ${JSON.stringify(f.abusers.memory)} (0 = connection lost)`,
    `  workerd RSS ${f.rssMiB.before} MiB before, peak ${f.rssMiB.peak} MiB, after ${f.rssMiB.after} MiB`,
    ...(f.cells
      ? [
          `  runtime cells by tenant: ${Object.entries(f.cells)
            .map(([k, c]) => `${k} ${c}`)
            .join(", ")}`,
        ]
      : []),
  ];
  if (f.loop) {
    lines.push(
      `  quiet beside a while(true) pulse  ${line(f.loop.quiet)}   watchdog restarts ${f.loop.restarts}`,
      `  looping pulse answers             ${JSON.stringify(f.loop.loopAnswers)} (0 = connection lost)`,
      `  quiet pulses after recovery       ${JSON.stringify(f.loop.afterwards)} (answering again ${f.loop.recoveredAfterMs} ms after the phase ended); the looping pulse then answers ${f.loop.loopAfter}`,
    );
  }
  return lines.join("\n");
}
