// Peak memory of a control-plane build (esbuild-wasm bundle + capability scan) by source size: what sets the
// source cap (platform/source-rules.ts MAX_SOURCE_BYTES) for a 128 MB Worker isolate on Cloudflare. Each size is
// built in a fresh Node process, with esbuild-wasm's browser build in the same thread as the deployer runs it in
// workerd (same V8, same esbuild.wasm): a wasm memory only grows, so one process per size gives each its own
// peak. Reported: what a Worker isolate's memory limit counts, the V8 heap (committed, right after the build: a
// lower bound of its peak, as a collection may already have shrunk it) plus esbuild's wasm memory (Go's heap: it
// only grows, so its size after the build is its peak); and, for comparison, the process's peak RSS above its RSS
// after initialisation and a small warm-up build (RSS also holds compiled wasm code and V8's compiler threads).
// Run: sh scripts/node.sh bench/build-memory.ts [KiB | file.js ...] (a number: a generated source of that many
// KiB in 50 files, as bench/deploy.ts makes the largest; a file: that one file as the whole source, e.g. a
// package bundle as `pulse deploy` uploads it).

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { getHeapStatistics } from "node:v8";
import { generatedSource } from "./deploy.ts";

const FILES = 50;
const MIB = 1024 * 1024;

/** Node's types declare WebAssembly.Module abstract; the runtime constructs it from bytes as browsers do. */
const compiled = (bytes: Uint8Array) =>
  new (WebAssembly.Module as unknown as new (b: Uint8Array) => WebAssembly.Module)(bytes);

function sourceOf(arg: string): ReturnType<typeof generatedSource> {
  if (!/^\d+$/.test(arg)) return { files: { "index.js": readFileSync(arg, "utf8") }, main: "index.js" };
  return generatedSource("measured", Number(arg) * 1024, FILES);
}

async function measureOne(arg: string): Promise<Record<string, number | string>> {
  // The browser build looks for `self`, which workerd has and Node does not.
  (globalThis as { self?: unknown }).self = globalThis;
  const esbuild = await import("esbuild-wasm/esm/browser.js");
  const { bundlePulse } = await import("../platform/bundle.ts");
  const { deriveManifest } = await import("../deployer/build/manifest.ts");
  const shim = (await import("../deployer/generated/runtime-shim.js")).default as string;
  const wasm = readFileSync(fileURLToPath(import.meta.resolve("esbuild-wasm/esbuild.wasm")));
  // Go's wasm exports its linear memory as `mem`: kept from the instance esbuild creates.
  let memory: WebAssembly.Memory | undefined;
  const instantiate = WebAssembly.instantiate.bind(WebAssembly);
  WebAssembly.instantiate = (async (...args: Parameters<typeof instantiate>) => {
    const made = (await instantiate(...args)) as WebAssembly.Instance | { instance: WebAssembly.Instance };
    const instance = "instance" in made ? made.instance : made;
    // Only esbuild's: Node instantiates modules of its own too (undici's HTTP parser).
    if (instance.exports.mem instanceof WebAssembly.Memory && instance.exports.resume) memory = instance.exports.mem;
    return made;
  }) as typeof WebAssembly.instantiate;
  await esbuild.initialize({ wasmModule: compiled(wasm), worker: false });
  const build = async (source: ReturnType<typeof generatedSource>) => {
    const result = await bundlePulse(esbuild, source, shim);
    if (!result.ok) throw new Error(JSON.stringify(result.errors[0]));
    const bundleBytes = Buffer.byteLength(result.code);
    await deriveManifest(esbuild, { ...source, reached: result.userFiles, bundleBytes });
    return bundleBytes;
  };
  await build(generatedSource("warm-up", 2 * 1024, 2));
  const mib = (n: number) => +(n / MIB).toFixed(1);
  const isolate = () => getHeapStatistics().total_heap_size + (memory?.buffer.byteLength ?? 0);
  const before = { isolate: isolate(), wasm: memory?.buffer.byteLength ?? 0, rss: process.memoryUsage().rss };
  const started = performance.now();
  const source = sourceOf(arg);
  const bytes = Object.values(source.files).reduce((n, text) => n + Buffer.byteLength(text), 0);
  const bundleBytes = await build(source);
  const buildMs = Math.round(performance.now() - started);
  const after = {
    isolate: isolate(),
    wasm: memory?.buffer.byteLength ?? 0,
    rss: process.resourceUsage().maxRSS * 1024,
  };
  return {
    source: /^\d+$/.test(arg) ? `generated, ${FILES} files` : arg.split("/").at(-1)!,
    sourceKiB: Math.round(bytes / 1024),
    bundleKiB: Math.round(bundleBytes / 1024),
    buildMs,
    isolateBeforeMiB: mib(before.isolate),
    isolateAfterMiB: mib(after.isolate),
    wasmBeforeMiB: mib(before.wasm),
    wasmAfterMiB: mib(after.wasm),
    rssGrowthMiB: mib(after.rss - before.rss),
  };
}

if (process.argv[2] === "--one") {
  console.log(JSON.stringify(await measureOne(process.argv[3]!)));
} else {
  const args = process.argv.length > 2 ? process.argv.slice(2) : ["64", "256", "512", "768", "1016"];
  const rows = args.map((arg) => {
    const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--one", arg], {
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`measuring ${arg} failed: ${run.stderr}`);
    return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as Record<string, number | string>;
  });
  console.table(rows);
}
