// The noisy-neighbour part of `npm run bench` (BENCH_ONLY=noisy). Quiet pulses are measured alone (the
// baseline), then while abusive pulses all run beside them: one flooded with requests (its plan's rate limit
// answers), one making as many subrequests as it can (its plan's subrequest limit answers), one allocating
// memory on every request until it is stopped or its isolate dies, and one stuck in `while (true) {}` (local
// workerd does not enforce cpuMs: the watchdog restarts its cell), and a tenant asking for previews of a looping
// candidate (they run in the probation cell). Meanwhile ten POSTs, which the platform never
// sends twice, go to the quiet pulses one after another. Each run's abusers are new pulses, as an attacker's
// would be; BENCH_NOISY_RUNS repeats the part, and each run is judged against the targets (noisyVerdicts).

import autocannon from "autocannon";
import { request } from "node:http";
import type { PlanLimits } from "../platform/plans.ts";
import type { LocalPlatform } from "../supervisor/local-platform.ts";
import { runtimeRssMiB } from "../supervisor/process-memory.ts";
import { BENCH_PLAN, seedFleet } from "./fleet.ts";
import { figuresOf, runOverPulses, runOverPulsesApart, type RunFigures } from "./load-client.ts";
import { seedPulse } from "../supervisor/seed.ts";
import { createAdminFetch } from "../supervisor/admin-api.ts";
import { contentHash, putBundle } from "../platform/bundle-store.ts";
import { insertVersion } from "../platform/registry.ts";
import type { CellTraffic } from "../platform/cell-traffic.ts";
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
  /** Answers each abuser got, by label ("429 rate_limited"; 0 = connection lost). */
  abusers: Record<string, Record<string, number>>;
  /** SEQUENTIAL_CALLS POSTs (not resent by the platform when a cell is lost) to a quiet pulse during the abuse. */
  sequential: { answered: number; of: number; labels: Record<string, number> };
  rssMiB: { before: number; peak: number; after: number };
  /** With runtime cells: the cell each pulse ran in during the abuse, and which cell is the probation cell. */
  placement?: { cells: Record<string, number[]>; probationCell: number | null };
  /** Watchdog restarts during the abuse. */
  restarts: number;
  /** The quiet pulses once the abuse has ended, and how long until each answered. */
  afterwards: Record<string, number>;
  recoveredAfterMs: number;
}

/** POSTs to a quiet pulse, one after another, spread over the abuse (the issue's "10 out of 10"). */
const SEQUENTIAL_CALLS = 10;

/**
 * One request: its status (0 when the connection failed) and its answer's label, the status followed by the
 * platform's error code when the answer is one ("429 rate_limited"), so that each refusal is told apart from
 * what the pulse answered itself.
 */
function call(url: URL, host: string, timeoutMs = 20_000, method = "GET"): Promise<{ status: number; label: string }> {
  return new Promise((ok) => {
    const body = method === "GET" ? undefined : JSON.stringify({ at: Date.now() });
    const headers = body ? { host, "content-type": "application/json" } : { host };
    const req = request(
      { host: url.hostname, port: url.port, path: "/", method, headers, timeout: timeoutMs },
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
    req.end(body);
  });
}

/** One GET's status (0 when the connection failed). */
export const status = async (url: URL, host: string, timeoutMs?: number) => (await call(url, host, timeoutMs)).status;

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

export type AbuserKind = keyof typeof ABUSERS;

/** Creates a new pulse of each kind (names ending in `tag`) on the abusers' plan; returns each kind's name. */
export async function seedAbusers(
  platform: LocalPlatform,
  kinds: readonly AbuserKind[],
  tag: string,
): Promise<(kind: AbuserKind) => string> {
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
  const name = (kind: AbuserKind) => `abuse-${kind}-${tag}`;
  for (const kind of kinds)
    await seedPulse(platform.db, platform.bundles, {
      tenant: `abuser-${kind}-${tag}`,
      pulse: name(kind),
      code: await buildPulse({ files: { "index.js": ABUSERS[kind] }, main: "index.js" }),
      plan: ABUSE_PLAN,
    });
  return name;
}

/** A plan like the abusers', that keeps invocations for previews. */
const PREVIEW_PLAN = "abuse-preview";
const LOOPING_CANDIDATE = `export default async function run() { for (;;) {} }`;

export interface PreviewAbuser {
  pulse: string;
  /** The looping candidate's version id, and a token of the pulse's tenant to ask for its preview. */
  candidate: string;
  token: string;
}

/** A pulse whose owner uploads a looping candidate and asks for previews of it (they run in the probation cell). */
export async function seedPreviewAbuser(platform: LocalPlatform, tag: string): Promise<PreviewAbuser> {
  await platform.db
    .prepare(`INSERT OR REPLACE INTO plans (name, limits, created_at, updated_at) VALUES (?1, ?2, 0, 0)`)
    .bind(PREVIEW_PLAN, JSON.stringify({ ...ABUSE_LIMITS, replayInvocations: 20 }))
    .run();
  const pulse = `abuse-preview-${tag}`;
  const { tenantId, pulseId } = await seedPulse(platform.db, platform.bundles, {
    tenant: `abuser-preview-${tag}`,
    pulse,
    code: await buildPulse({ files: { "index.js": ABUSERS.flood }, main: "index.js" }),
    plan: PREVIEW_PLAN,
  });
  const code = await buildPulse({ files: { "index.js": LOOPING_CANDIDATE }, main: "index.js" });
  const candidate = await contentHash(code);
  await putBundle(platform.bundles, candidate, code);
  await insertVersion(platform.db, { pulseId, versionId: candidate, sizeBytes: code.length, createdBy: "bench" });
  const token = await platform.mint({ role: "developer", sub: "bench-preview", tenantId }, "1h");
  return { pulse, candidate, token };
}

/**
 * Calls the preview abuser's live version a few times (its recorded inputs), then asks for previews of the looping
 * candidate until `until`, a few seconds apart: each answer's label (200: the report, which names the stall).
 */
export async function runPreviewAbuser(url: URL, a: PreviewAbuser, until: number): Promise<Record<string, number>> {
  for (let i = 0; i < 3; i++) await call(url, `${a.pulse}.pulses.localhost`);
  await new Promise((r) => setTimeout(r, 1000)); // recordings reach their store in batches
  const counts: Record<string, number> = {};
  while (Date.now() < until) {
    const answer = await fetch(new URL(`/v1/pulses/${a.pulse}/versions/${a.candidate}/preview`, url), {
      method: "POST",
      headers: { authorization: `Bearer ${a.token}`, "content-type": "application/json" },
      body: "{}",
      signal: AbortSignal.timeout(60_000),
    }).catch(() => undefined);
    const body = answer ? ((await answer.json().catch(() => ({}))) as { error?: { code?: string } }) : {};
    const label = answer ? `${answer.status}${body.error?.code ? ` ${body.error.code}` : ""}` : "0";
    counts[label] = (counts[label] ?? 0) + 1;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return counts;
}

/** Calls one abuser the way its kind abuses until `until`: its answers by label (0 = connection lost). */
export async function runAbuser(
  kind: AbuserKind,
  url: URL,
  pulse: string,
  until: number,
): Promise<Record<string, number>> {
  const host = `${pulse}.pulses.localhost`;
  switch (kind) {
    case "flood": {
      const seconds = Math.max(1, Math.round((until - Date.now()) / 1000));
      const options = { url: url.origin, connections: 20, duration: seconds, headers: { host } };
      const result = await (autocannon(options as autocannon.Options) as unknown as Promise<autocannon.Result>);
      return figuresOf(result).statusCodes;
    }
    case "subrequests":
      return mergeCounts(...(await Promise.all([0, 1].map(() => hammer(url, host, until)))));
    case "memory":
      return hammer(url, host, until);
    case "loop": {
      // One request into the loop, then a try every half second: what the looping pulse answers meanwhile.
      const counts: Record<string, number> = { [(await call(url, host)).label]: 1 };
      while (Date.now() < until) {
        await new Promise((r) => setTimeout(r, 500));
        const again = (await call(url, host, 2_000)).label;
        counts[again] = (counts[again] ?? 0) + 1;
      }
      return counts;
    }
  }
}

export async function measureNoisy(
  platform: LocalPlatform,
  seconds: number,
  connections: number,
  options: { withLoop: boolean; restarts: () => number; abusers?: AbuseKind[]; quietRate?: number },
): Promise<NoisyFigures> {
  const kinds = [...(options.abusers ?? ABUSE_KINDS), ...(options.withLoop ? (["loop"] as const) : [])];
  const run = Date.now().toString(36);
  const abuser = await seedAbusers(platform, kinds, run);
  const previewAbuser = options.withLoop ? await seedPreviewAbuser(platform, run) : undefined;
  const quiet = await seedFleet(platform, 3, await buildPulse({ files: { "index.js": QUIET }, main: "index.js" }), {
    prefix: `quiet-${run}`,
    plan: BENCH_PLAN,
  });
  const url = platform.url;
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
  const restartsBefore = options.restarts();
  const abuseStart = Date.now();
  // The abusers run a second longer than the quiet pulses' client, which starts a process first: their window
  // covers its whole run. Their clients run in this process, the quiet pulses' client in its own
  // (load-client.ts): sharing one event loop, the flood's answers were counted as the quiet pulses' latency.
  const until = abuseStart + (seconds + 1) * 1000;
  const host = (name: string) => `${name}.pulses.localhost`;
  const sequential = async () => {
    const labels: Record<string, number> = {};
    for (let i = 0; i < SEQUENTIAL_CALLS; i++) {
      const due = abuseStart + ((i + 0.5) * seconds * 1000) / SEQUENTIAL_CALLS;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      const { label } = await call(url, host(quiet[i % quiet.length]!), 20_000, "POST");
      labels[label] = (labels[label] ?? 0) + 1;
    }
    return { answered: labels["200"] ?? 0, of: SEQUENTIAL_CALLS, labels };
  };
  const [underAbuse, seq, ...answers] = await Promise.all([
    measureQuiet(),
    sequential(),
    ...kinds.map((k) => runAbuser(k, url, abuser(k), until)),
    ...(previewAbuser ? [runPreviewAbuser(url, previewAbuser, until)] : []),
  ]);
  clearInterval(sampler);
  const placement = platform.cells.length
    ? await placementOf(platform, abuseStart, {
        quiet: quiet,
        ...Object.fromEntries(kinds.map((k) => [k, [abuser(k)]])),
      })
    : undefined;

  // A looping pulse's cell is restarted by the watchdog: every quiet pulse must answer again.
  const deadline = Date.now() + 60_000;
  const afterwards: Record<string, number> = {};
  for (const q of quiet) {
    let code = await status(platform.url, host(q), 2_000);
    while (code !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      code = await status(platform.url, host(q), 2_000);
    }
    afterwards[code] = (afterwards[code] ?? 0) + 1;
  }
  return {
    seconds,
    connections,
    baseline,
    underAbuse,
    p99Ratio: underAbuse.p99 / Math.max(1, baseline.p99),
    abusers: {
      ...Object.fromEntries(kinds.map((k, i) => [k, answers[i]!])),
      ...(previewAbuser ? { "looping preview": answers[kinds.length]! } : {}),
    },
    sequential: seq,
    rssMiB: { before: Math.round(before), peak: Math.round(peak), after: Math.round(runtimeRssMiB()) },
    ...(placement ? { placement } : {}),
    restarts: options.restarts() - restartsBefore,
    afterwards,
    recoveredAfterMs: Math.max(0, Date.now() - until),
  };
}

/** The cells each group's pulses were sent to since `since`, as the dispatcher reports them. */
async function placementOf(
  platform: LocalPlatform,
  since: number,
  groups: Record<string, string[]>,
): Promise<NonNullable<NoisyFigures["placement"]>> {
  const answer = await createAdminFetch(platform)(`/v1/admin/runtime/cells?since=${since}`);
  const traffic = (await answer.json()) as CellTraffic;
  const ids = new Map<string, string>();
  for (const [label, names] of Object.entries(groups))
    for (const name of names) {
      const id = await platform.db.prepare("SELECT id FROM pulses WHERE name = ?1").bind(name).first<string>("id");
      if (id) ids.set(id, label);
    }
  const cells: Record<string, number[]> = {};
  for (const i of traffic.isolates) {
    const label = ids.get(i.pulseId);
    if (label && !cells[label]?.includes(i.cell)) (cells[label] ??= []).push(i.cell);
  }
  return { cells, probationCell: traffic.placement.probationCell };
}

/** What a run is held to (issue: quiet pulses answer 10 of 10 and keep p99 within 2x beside the abusers). */
export function noisyVerdicts(f: NoisyFigures): { name: string; ok: boolean }[] {
  return [
    {
      name: `sequential POSTs answered ${f.sequential.answered}/${f.sequential.of}`,
      ok: f.sequential.answered === f.sequential.of,
    },
    { name: `quiet p99 ${f.p99Ratio.toFixed(2)}x baseline (target <= 2x)`, ok: f.p99Ratio <= 2 },
    {
      name: `quiet failed answers ${f.underAbuse.non2xx + f.underAbuse.errors}`,
      ok: f.underAbuse.non2xx + f.underAbuse.errors === 0,
    },
  ];
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
  const labels = Object.keys(f.abusers).join("+");
  const lines = [
    `noisy neighbours: 3 quiet pulses (KV read), ${f.connections} connections, ${f.seconds} s per phase`,
    `  quiet alone (baseline)            ${line(f.baseline)}`,
    `  ${`quiet beside ${labels}`.padEnd(33)} ${line(f.underAbuse)}   error rate ${(errorRate(f.underAbuse) * 100).toFixed(3)}%`,
    `  sequential POSTs to quiet pulses  ${JSON.stringify(f.sequential.labels)}`,
    ...Object.entries(f.abusers).map(([k, c]) => `  ${`${k} pulse answers`.padEnd(33)} ${JSON.stringify(c)}`),
    `  watchdog restarts ${f.restarts}; quiet pulses afterwards ${JSON.stringify(f.afterwards)} (all answering ${f.recoveredAfterMs} ms after the abuse)`,
    `  workerd RSS ${f.rssMiB.before} MiB before, peak ${f.rssMiB.peak} MiB, after ${f.rssMiB.after} MiB`,
    ...(f.placement
      ? [
          `  cells (probation cell ${f.placement.probationCell ?? "none"}): ${Object.entries(f.placement.cells)
            .map(([k, c]) => `${k} ${c.join("+")}`)
            .join(", ")}`,
        ]
      : []),
    ...noisyVerdicts(f).map((v) => `  ${v.name.padEnd(52)} ${v.ok ? "PASS" : "FAIL"}`),
  ];
  return lines.join("\n");
}
