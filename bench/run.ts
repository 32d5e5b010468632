// `npm run bench`: throughput and latency of pulses through the dispatcher, against plain Workers on the same
// runtime measured in the same run (this machine is noisy: only ratios within one run mean something).
// Targets run in turn, for several rounds, and each figure is the median over rounds.
//
//   BENCH_SECONDS=8 BENCH_ROUNDS=3 BENCH_CONNECTIONS=10 BENCH_DEPLOYS=20 BENCH_PULSES=1000 npm run bench
//   BENCH_ONLY=load,noisy npm run bench     parts: deploy, dblatency, throughput, ceiling, cost, static, fleet, load, noisy
//                                            (default all)
//   BENCH_LOAD_SECONDS=60 BENCH_NOISY_SECONDS=15 BENCH_NOISY_LOOP=1   the load and noisy-neighbour parts
//   BENCH_NOISY_RUNS=9                       the noisy part nine times (its targets hold in every run or not)
//   BENCH_ONLY=soak BENCH_SOAK_MINUTES=60 BENCH_SOAK_INTERVAL_MINUTES=5 BENCH_SOAK_RATE=100   the soak (on request only)

import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CELLS, startLocalPlatform } from "../supervisor/local-platform.ts";
import { buildPulse } from "../supervisor/pulse-build.ts";
import { seedPulse } from "../supervisor/seed.ts";
import { hostGet, measureDeploys } from "./deploy.ts";
import { BENCH_PLAN, BENCH_SQL_PLAN, DB_LATENCY_PULSE, ensureBenchPlans, measureFleet, seedFleet } from "./fleet.ts";
import { runOverPulsesApart, type RunFigures } from "./load-client.ts";
import { measureLoaderCeiling, type LoaderCeiling } from "./loader-ceiling.ts";
import { prepareWorker, ROOT } from "../supervisor/workers.ts";
import { cellMemoryBudgetMiB } from "../supervisor/cell-recycle.ts";
import { formatLoad, measureLoad, MIXED_PULSE, type LoadFigures } from "./load.ts";
import { formatSoak, measureSoak, type SoakFigures } from "./soak.ts";
import { abusersFromEnv, formatNoisy, measureNoisy, noisyVerdicts, type NoisyFigures } from "./noisy.ts";
import { createWatchdog } from "../supervisor/watchdog.ts";
import { formatCost, measureCost, processLabels, type CostRow } from "./cost.ts";
import { fleetVerdict, formatAgainstTargets } from "./targets.ts";
import { deployStaticSite, plainStaticBranch, staticTargets } from "./static.ts";
import { freePort } from "../supervisor/free-port.ts";
import { frontDoor } from "../supervisor/edge.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const deployRuns = Number(process.env.BENCH_DEPLOYS ?? 20);
const fleetSize = Number(process.env.BENCH_PULSES ?? 1000);
const loadSeconds = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const noisySeconds = Number(process.env.BENCH_NOISY_SECONDS ?? 15);
const noisyLoop = process.env.BENCH_NOISY_LOOP !== "0";
const noisyAbusers = abusersFromEnv();
const noisyRate = Number(process.env.BENCH_NOISY_RATE ?? 0);
const noisyRuns = Math.max(1, Number(process.env.BENCH_NOISY_RUNS ?? 1));
const soakMinutes = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
const soakIntervalMinutes = Number(process.env.BENCH_SOAK_INTERVAL_MINUTES ?? 5);
const soakRate = Number(process.env.BENCH_SOAK_RATE ?? 100);
const PARTS = [
  "deploy",
  "dblatency",
  "throughput",
  "ceiling",
  "cost",
  "static",
  "fleet",
  "load",
  "noisy",
  "soak",
] as const;
/** Long by design: run only when asked for by name. */
const ON_REQUEST: readonly string[] = ["soak"];
const only = (process.env.BENCH_ONLY ?? "")
  .split(",")
  .map((p) => p.trim())
  .filter(Boolean);
for (const p of only)
  if (!(PARTS as readonly string[]).includes(p))
    throw new Error(`BENCH_ONLY: unknown part "${p}" (parts: ${PARTS.join(", ")})`);
const selected = (part: (typeof PARTS)[number]) =>
  only.length === 0 ? !ON_REQUEST.includes(part) : only.includes(part);

// Baselines: plain Workers, no platform in the path. The counter does what the counter pulse does, on a KV
// binding of its own; /fetch calls the same upstream Worker the fetching pulses reach through the outbound hop.
const PLAIN = `export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/fetch") {
      const res = await env.UPSTREAM.fetch("https://upstream.test/");
      return Response.json(await res.json());
    }
    if (new URL(request.url).pathname === "/counter") {
      const n = Number((await env.KV.get("counter")) ?? "0") + 1;
      await env.KV.put("counter", String(n), { expirationTtl: 3600 });
      return Response.json({ ok: true, count: n });
    }
    ${plainStaticBranch()}
    return Response.json({ ok: true });
  },
};`;

interface Target {
  name: string;
  url: string;
  /** The pulse it calls through the dispatcher; none for a plain Worker. */
  pulse?: string;
}
/** One run of the load generator, in a process of its own (load-client.ts says why). */
async function measure(target: Target, duration: number): Promise<RunFigures> {
  const { origin, pathname } = new URL(target.url);
  return runOverPulsesApart({
    url: origin,
    hosts: target.pulse ? [target.pulse] : [],
    paths: [pathname],
    seconds: duration,
    connections,
  });
}

/** Each target in turn, for `rounds` rounds after a warm-up; per target the median over rounds. */
async function measureRounds(list: Target[]): Promise<SummaryRow[]> {
  for (const t of list) await measure(t, 1); // warm-up: isolates loaded, caches filled
  const samples = new Map<string, RunFigures[]>(list.map((t) => [t.name, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const t of list) {
      const f = await measure(t, seconds);
      samples.get(t.name)!.push(f);
      console.log(
        `round ${round}  ${t.name.padEnd(34)} ${f.rps.toFixed(0).padStart(6)} req/s  p50 ${f.p50} ms  p99 ${f.p99} ms  errors ${f.errors}  non-2xx ${f.non2xx}`,
      );
    }
  }
  return list.map((t) => {
    const s = samples.get(t.name)!;
    return {
      name: t.name,
      rps: median(s.map((f) => f.rps)),
      p50: median(s.map((f) => f.p50)),
      p99: median(s.map((f) => f.p99)),
      errors: s.reduce((n, f) => n + f.errors, 0),
      non2xx: s.reduce((n, f) => n + f.non2xx, 0),
    };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const cells = Number(process.env.PULSE_CELLS ?? DEFAULT_CELLS);
// The watchdog sees the runtime's lines always.
let watchdogRestarts = 0;
let cellRecycles = 0;
const watchdog = createWatchdog(
  (line) => {
    if (line.includes("restarting")) watchdogRestarts += 1;
    if (line.includes(" recycled in ")) cellRecycles += 1;
    console.log(`  (${line})`);
  },
  { cellMemoryMiB: cellMemoryBudgetMiB(cells) },
);
// A watchdog restart keeps only persisted state: the noisy part needs a state directory (a temporary one).
const stateDir = selected("noisy") || selected("soak") ? await mkdtemp(join(tmpdir(), "pulse-bench-")) : undefined;
// ... and a fixed port: a restart on "any port" would move the platform under the running load generators.
const platform = await startLocalPlatform({
  port: stateDir ? await freePort() : 0,
  devUpstreams: true,
  cells,
  onLog: (message, _level, cell, writtenAt) => watchdog.observe(message, cell, writtenAt),
  ...(stateDir ? { stateDir } : {}),
});
// With runtime cells the watchdog runs throughout, as under `npm start` (its heap readings are part of the cost
// measured); in one process it probes only during the noisy part (a restart there stops every tenant).
if (cells > 0) watchdog.start(platform);
// The baseline is served the way the dispatcher is (supervisor/edge.ts): on workerd's own socket, not through
// Miniflare's entry Worker, whose extra hop would slow the baseline and flatter every ratio (measured: a plain
// Worker behind the entry served a static file at half the rate the dispatcher did on its own socket).
const plainPort = await freePort();
const plainWorker: Record<string, unknown> = {
  name: "plain",
  modules: true,
  script: PLAIN,
  compatibilityDate: "2026-08-01",
  kvNamespaces: ["KV"],
  serviceBindings: { UPSTREAM: "pulse-test-upstream" },
};
frontDoor(plainWorker, plainPort);
const plain = new Miniflare(
  convertV4MiniflareOptions({
    host: "127.0.0.1",
    port: 0,
    workers: [plainWorker, await prepareWorker("test/upstream", join(ROOT, ".pulse/build"))],
  } as unknown as Parameters<typeof convertV4MiniflareOptions>[0]),
);
await plain.ready;
const plainUrl = new URL(`http://127.0.0.1:${plainPort}/`);

await ensureBenchPlans(platform.db);
let benchTenant = "";
let helloCode = "";
for (const [pulse, file] of [
  ["counter", "counter.ts"],
  ["hello", "hello.ts"],
] as const) {
  const code = await buildPulse({
    files: { "index.ts": await readFile(join(ROOT, "scripts/seed", file), "utf8") },
    main: "index.ts",
  });
  if (pulse === "hello") helloCode = code;
  benchTenant = (await seedPulse(platform.db, platform.bundles, { tenant: "bench", pulse, code, plan: BENCH_PLAN }))
    .tenantId;
}

// Pulses that fetch the upstream through the outbound worker, without and with a secret to substitute.
const FETCHING = {
  fetcher: `export default async function run() { const r = await fetch("https://upstream.test/"); return r.json(); }`,
  "fetcher-secret": `export default async function run(_i, env) { const r = await fetch("https://upstream.test/", { headers: { authorization: "Bearer " + env.secrets.API_KEY } }); return r.json(); }`,
};
for (const [pulse, source] of Object.entries(FETCHING)) {
  await seedPulse(platform.db, platform.bundles, {
    tenant: "bench",
    pulse,
    code: await buildPulse({ files: { "index.js": source }, main: "index.js" }),
    plan: BENCH_PLAN,
  });
}
await seedPulse(platform.db, platform.bundles, {
  tenant: "bench-sql",
  pulse: "dblatency",
  code: await buildPulse({ files: { "index.js": DB_LATENCY_PULSE }, main: "index.js" }),
  plan: BENCH_SQL_PLAN,
});

// Deploys first, while the deployer is cold: its first build initialises esbuild-wasm.
const deployToken = await platform.mint({ role: "developer", sub: "bench", tenantId: benchTenant });
const secretPut = await fetch(new URL("/v1/pulses/fetcher-secret/secrets/API_KEY", platform.url), {
  method: "PUT",
  headers: { authorization: `Bearer ${deployToken}`, "content-type": "application/json" },
  body: JSON.stringify({ value: "sk_bench_0123456789abcdef", hosts: ["upstream.test"] }),
});
if (!secretPut.ok) throw new Error(`could not set the bench secret: ${secretPut.status} ${await secretPut.text()}`);
const deploys = selected("deploy") ? await measureDeploys(platform.url, deployToken, deployRuns) : undefined;
if (deploys)
  console.log(`deploy-to-live (upload + esbuild-wasm build + activate, until the new version answers):
  cold (first build after start)   ${deploys.coldMs.toFixed(0)} ms (build ${deploys.coldBuildMs} ms)
  warm, median of ${deploys.warmRuns}             ${deploys.warmMedianMs.toFixed(0)} ms (p90 ${deploys.warmP90Ms.toFixed(0)} ms, build median ${deploys.warmBuildMedianMs} ms)   target < 250 ms
  largest accepted source           ${(deploys.largest.sourceBytes / 1024).toFixed(0)} KiB in ${deploys.largest.files} files: ${deploys.largest.deployToLiveMs.toFixed(0)} ms (build ${deploys.largest.buildMs} ms)
  workerd RSS around that build     ${deploys.largest.runtimeRssBeforeMiB.toFixed(0)} MiB -> ${deploys.largest.runtimeRssAfterMiB.toFixed(0)} MiB (whole runtime, all isolates)
`);

const origin = platform.url.origin;
const targets: Target[] = [
  { name: "plain hello Worker (baseline)", url: `${plainUrl.origin}/` },
  { name: "hello pulse via dispatcher", url: `${origin}/`, pulse: "hello" },
  { name: "plain counter Worker (KV)", url: `${plainUrl.origin}/counter` },
  { name: "counter pulse via dispatcher", url: `${origin}/`, pulse: "counter" },
  { name: "plain Worker fetching upstream", url: `${plainUrl.origin}/fetch` },
  { name: "pulse fetching upstream", url: `${origin}/`, pulse: "fetcher" },
  { name: "pulse fetching upstream + secret", url: `${origin}/`, pulse: "fetcher-secret" },
];

let dbLatency: { n: number; read: { p50: number; p99: number }; write: { p50: number; p99: number } } | undefined;
if (selected("dblatency")) {
  const dbLatencyBody = await hostGet(platform.url, "dblatency.pulses.localhost", "/?n=500");
  dbLatency = JSON.parse(dbLatencyBody) as {
    n: number;
    read: { p50: number; p99: number };
    write: { p50: number; p99: number };
  };
  if (!dbLatency.read) throw new Error(`env.db latency pulse answered: ${dbLatencyBody}`);
  console.log(`env.db latency inside a pulse (${dbLatency.n} sequential queries each; SQLite Durable Object per pulse):
  point read   p50 ${dbLatency.read.p50.toFixed(2)} ms  p99 ${dbLatency.read.p99.toFixed(2)} ms
  upsert       p50 ${dbLatency.write.p50.toFixed(2)} ms  p99 ${dbLatency.write.p99.toFixed(2)} ms
`);
}

type SummaryRow = { name: string; rps: number; p50: number; p99: number; errors: number; non2xx: number };
let summary: SummaryRow[] = [];
let ratios: Record<string, number> = {};
if (selected("throughput")) {
  console.log(
    `bench: ${targets.length} targets x ${rounds} rounds x ${seconds}s, ${connections} connections, loopback\n`,
  );
  summary = await measureRounds(targets);
  const byName = (n: string) => {
    const found = summary.find((s) => s.name === n);
    if (!found) throw new Error(`no bench target named "${n}"`);
    return found;
  };
  const baseline = byName("plain hello Worker (baseline)");
  ratios = {
    "counter pulse / plain hello Worker": byName("counter pulse via dispatcher").rps / baseline.rps,
    "hello pulse / plain hello Worker": byName("hello pulse via dispatcher").rps / baseline.rps,
    "counter pulse / plain counter Worker":
      byName("counter pulse via dispatcher").rps / byName("plain counter Worker (KV)").rps,
    "pulse fetching upstream / plain Worker fetching it":
      byName("pulse fetching upstream").rps / byName("plain Worker fetching upstream").rps,
    "with secret substitution / without":
      byName("pulse fetching upstream + secret").rps / byName("pulse fetching upstream").rps,
  };

  console.log("\nmedian over rounds:");
  for (const s of summary) {
    console.log(
      `  ${s.name.padEnd(34)} ${s.rps.toFixed(0).padStart(6)} req/s  p50 ${s.p50} ms  p99 ${s.p99} ms  errors ${s.errors}  non-2xx ${s.non2xx}`,
    );
  }
  console.log("\nthroughput ratios (medians over rounds):");
  const p99 = (n: string) => byName(n).p99;
  for (const line of formatAgainstTargets(
    ratios,
    p99("hello pulse via dispatcher"),
    p99("plain hello Worker (baseline)"),
  ))
    console.log(line);
}

// The Worker Loader's own share of a plain Worker: the highest "hello pulse / plain hello Worker" can go here.
let ceiling: LoaderCeiling | undefined;
if (selected("ceiling")) {
  ceiling = await measureLoaderCeiling(seconds, connections);
  console.log(`
ceiling: a Worker that only hands each request to a Worker Loader isolate, against a plain Worker (median of 3)
  plain Worker                   ${ceiling.plain.rps.toFixed(0).padStart(6)} req/s  p99 ${ceiling.plain.p99} ms
  bare Worker Loader dispatch    ${ceiling.loader.rps.toFixed(0).padStart(6)} req/s  p99 ${ceiling.loader.p99} ms
  bare dispatch / plain Worker   ${(ceiling.ratio * 100).toFixed(1)}%: no pulse dispatch on this runtime keeps more`);
}

// CPU time per request by process, for the plain hello Worker and the hello pulse (bench/cost.ts).
let cost: Record<string, CostRow[]> | undefined;
if (selected("cost")) {
  console.log(`
cost: CPU time per request by process (${seconds}s each, ${connections} connections)`);
  const platformPort = Number(platform.url.port);
  cost = {};
  for (const target of [
    {
      name: "plain hello Worker",
      url: `${plainUrl.origin}/`,
      label: processLabels(plainPort, "the plain Worker's process"),
    },
    {
      name: "hello pulse",
      url: `${origin}/`,
      host: "hello.pulses.localhost",
      label: processLabels(platformPort, "dispatcher process (+ control plane)", platform.cells),
    },
  ]) {
    const rows = await measureCost(target, seconds, connections);
    cost[target.name] = rows;
    console.log(formatCost(target.name, rows));
  }
}

// One file from a pulse's public/ (served before run()) against a plain Worker answering the same bytes.
let staticFiles: { summary: SummaryRow[]; ratio: number } | undefined;
if (selected("static")) {
  await deployStaticSite(platform.url, deployToken);
  const { plain: plainFile, pulse: pulseFile } = staticTargets(plainUrl.origin, origin);
  console.log(`\nstatic: ${rounds} rounds x ${seconds}s, ${connections} connections`);
  const rows = await measureRounds([plainFile, pulseFile]);
  const ratio = rows[1]!.rps / rows[0]!.rps;
  staticFiles = { summary: rows, ratio };
  for (const r of rows)
    console.log(`  ${r.name.padEnd(34)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms`);
  console.log(`  static file via dispatcher / plain Worker serving it: ${(ratio * 100).toFixed(1)}%`);
}

let fleet: Awaited<ReturnType<typeof measureFleet>> | undefined;
if (selected("fleet")) {
  console.log(`\n${fleetSize} pulses (seeding...)`);
  const fleetNames = await seedFleet(platform, fleetSize, helloCode);
  fleet = await measureFleet(platform, fleetNames, seconds, connections);
  console.log(`hello pulse, all requests on one pulse      ${fleet.onePulse.rps.toFixed(0).padStart(6)} req/s  p50 ${fleet.onePulse.p50} ms  p99 ${fleet.onePulse.p99} ms  errors ${fleet.onePulse.errors}  non-2xx ${fleet.onePulse.non2xx}
hello pulse, round-robin over ${fleetSize} pulses  ${fleet.roundRobin.rps.toFixed(0).padStart(6)} req/s  p50 ${fleet.roundRobin.p50} ms  p99 ${fleet.roundRobin.p99} ms  errors ${fleet.roundRobin.errors}  non-2xx ${fleet.roundRobin.non2xx}
round-robin / one pulse: ${(fleet.ratio * 100).toFixed(1)}%   ${fleetVerdict(fleet.ratio)}
round-robin over the first N pulses: ${fleet.sweep.map((w) => `${w.pulses}: ${w.rps.toFixed(0)} req/s (p50 ${w.p50} ms)`).join(", ")}
workerd RSS: ${fleet.rssMiB.before} MiB after loading all pulses, samples every 2 s during the runs: ${fleet.rssMiB.samples.join(", ")} MiB, after: ${fleet.rssMiB.after} MiB`);
}

let load: LoadFigures | undefined;
if (selected("load")) {
  console.log(`\nload: seeding ${fleetSize} pulses with KV and SQL work...`);
  load = await measureLoad(
    platform,
    await buildPulse({ files: { "index.js": MIXED_PULSE }, main: "index.js" }),
    fleetSize,
    loadSeconds,
    connections,
    () => cellRecycles,
  );
  console.log(formatLoad(load));
}

const noisy: NoisyFigures[] = [];
if (selected("noisy")) {
  if (noisyLoop && cells === 0) watchdog.start(platform);
  for (let run = 1; run <= noisyRuns; run++) {
    console.log(`\nnoisy neighbours${noisyRuns > 1 ? `, run ${run} of ${noisyRuns}` : ""}...`);
    const figures = await measureNoisy(platform, noisySeconds, connections, {
      withLoop: noisyLoop,
      restarts: () => watchdogRestarts,
      abusers: noisyAbusers,
      quietRate: noisyRate,
    });
    noisy.push(figures);
    console.log(formatNoisy(figures));
  }
  if (cells === 0) watchdog.stop();
  const passed = noisy.filter((f) => noisyVerdicts(f).every((v) => v.ok)).length;
  console.log(`\nnoisy neighbours: ${passed} of ${noisy.length} runs met every target`);
}

let soak: SoakFigures | undefined;
if (selected("soak")) {
  console.log(
    `\nsoak: ${fleetSize} quiet pulses at ${soakRate} requests a second for ${soakMinutes} min, abusers coming and going...`,
  );
  soak = await measureSoak(platform, {
    minutes: soakMinutes,
    intervalMinutes: soakIntervalMinutes,
    pulses: fleetSize,
    rate: soakRate,
    connections,
    restarts: () => watchdogRestarts,
  });
  console.log(formatSoak(soak));
}

await mkdir(join(ROOT, "bench-results"), { recursive: true });
await writeFile(
  join(ROOT, "bench-results/latest.json"),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      only,
      seconds,
      rounds,
      connections,
      summary,
      ratios,
      ceiling,
      cost,
      deploys,
      dbLatency,
      staticFiles,
      fleet,
      load,
      noisy,
      soak,
    },
    null,
    2,
  ),
);
watchdog.stop();
await Promise.all([platform.dispose(), plain.dispose()]);
if (stateDir) await rm(stateDir, { recursive: true, force: true });
// The noisy part's abusers fail on purpose; its quiet pulses must not (while nothing loops).
const failed =
  summary.some((s) => s.errors > 0 || s.non2xx > 0) ||
  (staticFiles?.summary.some((s) => s.errors > 0 || s.non2xx > 0) ?? false) ||
  (fleet
    ? fleet.onePulse.non2xx + fleet.roundRobin.non2xx + fleet.onePulse.errors + fleet.roundRobin.errors > 0
    : false) ||
  (load ? load.errorRate > 0 : false) ||
  noisy.some((f) => f.underAbuse.non2xx + f.underAbuse.errors > 0) ||
  (soak ? soak.intervals.some((x) => x.quiet.non2xx + x.quiet.errors > 0) : false);
if (failed) console.error("\nsome requests failed: see errors / non-2xx above");
process.exit(failed ? 1 : 0);
