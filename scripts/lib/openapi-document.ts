// The control API's OpenAPI document, generated from the deployer's routes without a server (npm run
// lint:openapi lints it, npm run generate:api-client types the shared client from it).
//
// The deployer is bundled the way it is for workerd, with the parts the document does not need stubbed: the
// runtime's own modules (cloudflare:*), compiled WebAssembly, and the generated modules (a fresh checkout has
// none until a build writes them).

import { build, type Plugin } from "esbuild";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { WORKERD_BUNDLE } from "../../platform/bundle.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
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

/** Builds the document and writes it to .pulse/openapi/openapi.json; answers the document and its path. */
export async function writeOpenApiDocument(): Promise<{ document: object; path: string }> {
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
  const document = controlApiDocument();
  const path = join(OUT_DIR, "openapi.json");
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
  return { document, path };
}
