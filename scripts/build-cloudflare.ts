// npm run build:cloudflare: `wrangler deploy --dry-run --env production` for the three Workers that go to
// Cloudflare, each bundle's compressed size against Cloudflare's Worker size limit. Needs no account. CI runs
// it before the tests (.ci/run); it fails if a dry run fails or a Worker is over the limit.

import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "../supervisor/workers.ts";
import { wrangler } from "./lib/wrangler-cli.ts";

/** Workers for Platforms needs the Workers Paid plan: 10 MB per Worker after compression (Free: 3 MB). */
export const PAID_LIMIT_BYTES = 10 * 1000 * 1000;
export const FREE_LIMIT_BYTES = 3 * 1000 * 1000;
export const CLOUDFLARE_WORKERS = ["outbound", "dispatcher", "deployer"] as const;

export interface BundleSize {
  worker: string;
  rawBytes: number;
  gzipBytes: number;
  /** What wrangler itself printed ("Total Upload: ... / gzip: ..."), for comparison. */
  wranglerLine: string;
}

/** Upload = every module wrangler wrote (source maps and its README are not uploaded). */
async function measure(worker: string, outdir: string, output: string): Promise<BundleSize> {
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of await readdir(outdir)) {
    if (file.endsWith(".map") || file === "README.md") continue;
    const bytes = await readFile(join(outdir, file));
    rawBytes += bytes.byteLength;
    gzipBytes += gzipSync(bytes, { level: 9 }).byteLength;
  }
  return { worker, rawBytes, gzipBytes, wranglerLine: /Total Upload: .*/.exec(output)?.[0] ?? "(not printed)" };
}

export async function buildCloudflare(): Promise<{ sizes: BundleSize[]; failed: string[] }> {
  const sizes: BundleSize[] = [];
  const failed: string[] = [];
  for (const worker of CLOUDFLARE_WORKERS) {
    const outdir = join(ROOT, ".pulse/cloudflare-build", worker);
    await rm(outdir, { recursive: true, force: true });
    console.log(`\n== ${worker}: wrangler deploy --dry-run --env production`);
    const run = await wrangler(worker, ["deploy", "--dry-run", "--env", "production", "--outdir", outdir], {
      quiet: true,
    });
    if (run.code !== 0) {
      console.log(run.output);
      failed.push(`${worker}: the dry run failed`);
      continue;
    }
    const size = await measure(worker, outdir, run.output);
    sizes.push(size);
    if (size.gzipBytes > PAID_LIMIT_BYTES)
      failed.push(`${worker}: ${mb(size.gzipBytes)} compressed, over the ${mb(PAID_LIMIT_BYTES)} limit`);
  }
  return { sizes, failed };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

if (import.meta.main) {
  const { sizes, failed } = await buildCloudflare();
  console.log("\nworker       raw         gzip        limit (paid / free)   wrangler");
  for (const s of sizes) {
    const verdict = s.gzipBytes > PAID_LIMIT_BYTES ? "OVER" : s.gzipBytes > FREE_LIMIT_BYTES ? "ok (paid only)" : "ok";
    console.log(
      `${s.worker.padEnd(12)} ${mb(s.rawBytes).padEnd(11)} ${mb(s.gzipBytes).padEnd(11)} ${verdict.padEnd(21)} ${s.wranglerLine}`,
    );
  }
  if (failed.length > 0) {
    console.error(`\nbuild:cloudflare failed:\n  ${failed.join("\n  ")}`);
    process.exit(1);
  }
}
