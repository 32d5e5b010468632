// An exported project as its owner would run it: wrangler's own commands (deploy --dry-run, kv bulk put,
// d1 execute, all offline with --local), then the Worker wrangler built, under Miniflare with that local state.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { ROOT } from "./platform-process.ts";

const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

export function wrangler(projectDir: string, args: string[]): { code: number; output: string } {
  const res = spawnSync(process.execPath, [WRANGLER, ...args], {
    cwd: projectDir,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: res.status ?? -1, output: `${res.stdout}\n${res.stderr}` };
}

export interface ExportedWorker {
  fetch(path: string, init?: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}

/**
 * Runs `outdir/worker.js` (from `wrangler deploy --dry-run --outdir`) with the bindings of the project's
 * wrangler.jsonc (and .dev.vars), on the state wrangler's --local commands wrote under `persistTo`.
 */
export async function runExported(projectDir: string, outdir: string, persistTo: string): Promise<ExportedWorker> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(projectDir, "wrangler.jsonc"));
  // A built module list: wrangler's module rules and root do not apply (Miniflare 5 refuses them here).
  const { modulesRules: _rules, rootPath: _root, ...options } = workerOptions as Record<string, unknown>;
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      ...options,
      modules: [{ type: "ESModule", path: join(outdir, "worker.js") }],
      modulesRoot: outdir,
      resourcePersistencePath: join(persistTo, "v3"), // where wrangler --persist-to puts its state
    } as unknown as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  await mf.ready;
  return {
    fetch: (path, init) =>
      mf.dispatchFetch(`http://standalone.test${path}`, init as never) as unknown as Promise<Response>,
    dispose: () => mf.dispose(),
  };
}
