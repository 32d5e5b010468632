// The platform's Workers as Miniflare sees them: bindings read from each wrangler.jsonc (the single source of
// truth, shared with `wrangler deploy`), code bundled with esbuild the way wrangler would.

import { build } from "esbuild";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";

export const ROOT = resolve(import.meta.dirname, "../..");

/** Folders (each with a wrangler.jsonc) of the Workers that `npm start` runs. */
export const PLATFORM_WORKERS = ["dispatcher", "deployer"] as const;

/** Bundles one Worker and returns Miniflare (v4-shaped) worker options for it. */
export async function prepareWorker(folder: string, buildDir: string): Promise<Record<string, unknown>> {
  const configPath = join(ROOT, folder, "wrangler.jsonc");
  const { name } = unstable_readConfig({ config: configPath });
  const { workerOptions, main, define } = unstable_getMiniflareWorkerOptions(configPath);
  if (!main || !name) throw new Error(`${configPath} needs "name" and "main"`);
  const outfile = join(buildDir, folder, "index.js");
  await mkdir(join(buildDir, folder), { recursive: true });
  await build({
    entryPoints: [main],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2023",
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*", "node:*"],
    define,
    sourcemap: "linked",
    logLevel: "warning",
  });
  // Bundled to one file: module rules do not apply (and Miniflare 5 refuses them from v4 options).
  const { modulesRules: _rules, rootPath: _root, ...bindings } = workerOptions as Record<string, unknown>;
  return { ...bindings, name, modules: true, scriptPath: outfile };
}
