// The platform's Workers as Miniflare sees them: bindings read from each wrangler.jsonc (the single source of
// truth, shared with `wrangler deploy`), code bundled with esbuild the way wrangler would (.wasm imports
// become compiled WebAssembly modules beside the bundle).

import { build, type Plugin } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";
import { WORKERD_BUNDLE } from "../platform/bundle.ts";

export const ROOT = resolve(import.meta.dirname, "..");

/** Folders (each with a wrangler.jsonc) of the Workers that `npm start` runs. */
export const PLATFORM_WORKERS = ["dispatcher", "deployer"] as const;

export interface PrepareOptions {
  /** Values added to (or replacing) the config's vars: local keys, ports. */
  bindings?: Record<string, string>;
  /** Runs before bundling (the deployer's generated shim module). */
  before?: () => Promise<unknown>;
}

/** Bundles one Worker and returns Miniflare (v4-shaped) worker options for it. */
export async function prepareWorker(
  folder: string,
  buildDir: string,
  options: PrepareOptions = {},
): Promise<Record<string, unknown>> {
  const configPath = join(ROOT, folder, "wrangler.jsonc");
  const { name } = unstable_readConfig({ config: configPath });
  const { workerOptions, main, define } = unstable_getMiniflareWorkerOptions(configPath);
  if (!main || !name) throw new Error(`${configPath} needs "name" and "main"`);
  await options.before?.();
  const outdir = join(buildDir, folder);
  await mkdir(outdir, { recursive: true });
  const wasm = new Map<string, string>();
  await build({
    entryPoints: [main],
    outfile: join(outdir, "index.js"),
    ...WORKERD_BUNDLE,
    write: true,
    external: ["cloudflare:*", "node:*"],
    define,
    sourcemap: "linked",
    logLevel: "warning",
    plugins: [wasmModules(wasm, join(ROOT, folder))],
  });
  const modules: { type: string; path: string }[] = [{ type: "ESModule", path: join(outdir, "index.js") }];
  for (const [file, source] of wasm) {
    await copyFile(source, join(outdir, file));
    modules.push({ type: "CompiledWasm", path: join(outdir, file) });
  }
  // Module rules do not apply to a prepared module list (and Miniflare 5 refuses them from v4 options).
  const { modulesRules: _rules, rootPath: _root, bindings, ...rest } = workerOptions as Record<string, unknown>;
  return {
    ...rest,
    name,
    bindings: { ...(bindings as Record<string, unknown>), ...options.bindings },
    modulesRoot: outdir,
    modules,
  };
}

/** `import m from "x.wasm"` -> an external "./x.wasm" module, copied next to the bundle. */
function wasmModules(found: Map<string, string>, resolveFrom: string): Plugin {
  const require = createRequire(join(resolveFrom, "index.js"));
  return {
    name: "wasm-modules",
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, (args) => {
        const source = args.path.startsWith(".") ? resolve(args.resolveDir, args.path) : require.resolve(args.path);
        const file = basename(source);
        found.set(file, source);
        return { path: `./${file}`, external: true };
      });
    },
  };
}
