// Deploy latency for `npm run bench`: upload + build + activate until the new version answers at its
// subdomain ("deploy-to-live"), cold (the deployer's first build after start: esbuild-wasm initialises) and
// warm (median over repeated deploys of fresh source), plus the largest source the platform accepts and the
// runtime's memory around that build.

import { request } from "node:http";
import { MAX_SOURCE_BYTES } from "../platform/source-rules.ts";
import { runtimeRssMiB } from "../supervisor/process-memory.ts";

export interface DeployFigures {
  coldMs: number;
  coldBuildMs: number;
  warmMedianMs: number;
  warmP90Ms: number;
  warmBuildMedianMs: number;
  warmRuns: number;
  largest: {
    sourceBytes: number;
    files: number;
    deployToLiveMs: number;
    buildMs: number;
    runtimeRssBeforeMiB: number;
    runtimeRssAfterMiB: number;
  };
}

/** GET with a chosen Host header (Node's fetch does not let one set it): the answer's status and body. */
export function hostRequest(origin: URL, host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: origin.hostname, port: origin.port, path, headers: { host } }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", fail);
    req.end();
  });
}

/** The body of a GET with a chosen Host header. */
export const hostGet = async (origin: URL, host: string, path: string): Promise<string> =>
  (await hostRequest(origin, host, path)).body;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
}

/** A source of about `bytes` bytes over `files` files, all imported by index.ts, answering `marker`. */
export function generatedSource(marker: string, bytes = 0, files = 1): { files: Record<string, string>; main: string } {
  const out: Record<string, string> = {};
  const per = Math.max(0, Math.floor((bytes - 400) / Math.max(1, files - 1)));
  const imports: string[] = [];
  for (let i = 1; i < files; i++) {
    const body: string[] = [];
    let size = 0;
    for (let j = 0; size < per; j++) {
      const line = `export function f${i}_${j}(x: number): number { return x * ${j} + ${i}; }\n`;
      body.push(line);
      size += line.length;
    }
    body.push(`export const total${i} = f${i}_0(1);\n`);
    out[`lib/part${i}.ts`] = body.join("");
    imports.push(`import { total${i} } from "./lib/part${i}";`);
  }
  const sum = imports.length ? imports.map((_, k) => `total${k + 1}`).join(" + ") : "0";
  out["index.ts"] =
    `${imports.join("\n")}\nexport default async function run() {\n  return { marker: ${JSON.stringify(marker)}, sum: ${sum} };\n}\n`;
  return { files: out, main: "index.ts" };
}

export async function measureDeploys(origin: URL, token: string, warmRuns: number): Promise<DeployFigures> {
  const name = "deploybench";
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(new URL(path, origin), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as any;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  await api("POST", "/v1/pulses", { name });

  let counter = 0;
  const deployToLive = async (bytes = 0, files = 1) => {
    const marker = `m${++counter}-${Date.now()}`;
    const started = performance.now();
    const result = await api("POST", `/v1/pulses/${name}/versions`, {
      ...generatedSource(marker, bytes, files),
      deploy: true,
    });
    for (;;) {
      const body = await hostGet(origin, `${name}.pulses.localhost`, "/");
      if (body.includes(marker)) break;
      if (performance.now() - started > 30_000) throw new Error("deployed version never went live");
    }
    return { ms: performance.now() - started, buildMs: result.buildMs as number };
  };

  const cold = await deployToLive();
  const warm: { ms: number; buildMs: number }[] = [];
  for (let i = 0; i < warmRuns; i++) warm.push(await deployToLive());

  const largestFiles = 50;
  const largestBytes = MAX_SOURCE_BYTES - 8 * 1024;
  const rssBefore = runtimeRssMiB();
  const large = await deployToLive(largestBytes, largestFiles);
  const rssAfter = runtimeRssMiB();

  return {
    coldMs: cold.ms,
    coldBuildMs: cold.buildMs,
    warmMedianMs: median(warm.map((w) => w.ms)),
    warmP90Ms: percentile(
      warm.map((w) => w.ms),
      0.9,
    ),
    warmBuildMedianMs: median(warm.map((w) => w.buildMs)),
    warmRuns,
    largest: {
      sourceBytes: largestBytes,
      files: largestFiles,
      deployToLiveMs: large.ms,
      buildMs: large.buildMs,
      runtimeRssBeforeMiB: rssBefore,
      runtimeRssAfterMiB: rssAfter,
    },
  };
}
