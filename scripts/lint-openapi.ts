// npm run lint:openapi: generates the control API's OpenAPI document from the deployer's routes, without a
// server, and lints it with Redocly's recommended rules (scripts/redocly.yaml). CI runs it (.ci/run); it fails
// on any error, an operation without an operationId included.
//
// The deployer is bundled the way it is for workerd, with the parts the document does not need stubbed: the
// runtime's own modules (cloudflare:*), compiled WebAssembly, and the generated modules (a fresh checkout has
// none until a build writes them).

import { build, type Plugin } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { WORKERD_BUNDLE } from "../platform/bundle.ts";

const ROOT = resolve(import.meta.dirname, "..");
const OUT_DIR = join(ROOT, ".pulse/openapi");
const STUB = "export default {}; export class WorkerEntrypoint {} export class DurableObject {} export const env = {};";

const stubbed: Plugin = {
  name: "stub-runtime-modules",
  setup(b) {
    b.onResolve({ filter: /^cloudflare:|\.wasm$|\/generated\/[^/]+\.js$/ }, (args) => ({
      path: args.path,
      namespace: "stub",
    }));
    b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: STUB, loader: "js" }));
  },
};

await mkdir(OUT_DIR, { recursive: true });
const appModule = join(OUT_DIR, "control-app.mjs");
await build({
  ...WORKERD_BUNDLE,
  entryPoints: [join(ROOT, "deployer/app.ts")],
  outfile: appModule,
  write: true,
  external: ["node:*"],
  plugins: [stubbed],
});
const { controlApiDocument } = (await import(pathToFileURL(appModule).href)) as { controlApiDocument(): object };
const specPath = join(OUT_DIR, "openapi.json");
await writeFile(specPath, `${JSON.stringify(controlApiDocument(), null, 2)}\n`);

const redocly = join(ROOT, "node_modules/@redocly/cli/bin/cli.js");
const lint = spawnSync(process.execPath, [redocly, "lint", "--config", join(ROOT, "scripts/redocly.yaml"), specPath], {
  stdio: "inherit",
  // No usage reports or update checks from CI: the only network the project's machines may use is the registry.
  env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
});
process.exit(lint.status ?? 1);
