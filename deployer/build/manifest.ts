// Derives a version's capability manifest at build time. Each uploaded file the build reached is turned into
// plain JavaScript by esbuild on its own (types and JSX gone, nothing bundled, the shim never included), then
// tokenized and scanned. A file that cannot be scanned makes the manifest say so rather than fail the deploy.

import { loaderFor, type EsbuildLike } from "../../platform/bundle.ts";
import { MANIFEST_FORMAT, type Manifest } from "../../platform/manifest.ts";
import { scanCapabilities, type ScannedFile } from "./capability-scan.ts";
import { tokenize } from "./js-tokens.ts";

export interface ManifestInput {
  files: Record<string, string>;
  main: string;
  /** The files the build reached; uploaded files nothing imports are not part of the version. */
  reached: string[];
  bundleBytes: number;
}

export async function deriveManifest(esbuild: EsbuildLike, input: ManifestInput): Promise<Manifest> {
  const scanned: ScannedFile[] = [];
  const unscannable: string[] = [];
  const code = input.reached.filter((f) => !f.endsWith(".json") && Object.hasOwn(input.files, f)).sort();
  for (const file of code) {
    try {
      const text = await plainJs(esbuild, file, input.files[file]!);
      scanned.push({ file, text, tokens: tokenize(text) });
    } catch {
      unscannable.push(file);
    }
  }
  const caps = scanCapabilities(scanned, input.main);
  if (unscannable.length) {
    // Not seen is not "none": flag everything the file could have held.
    caps.egress.dynamicFetch = true;
    caps.dynamicSecrets = true;
    for (const file of unscannable) caps.egress.dynamicTargets.push({ file, target: "(file could not be scanned)" });
  }
  return { format: MANIFEST_FORMAT, ...caps, bundleBytes: input.bundleBytes, files: code };
}

async function plainJs(esbuild: EsbuildLike, file: string, contents: string): Promise<string> {
  const result = await esbuild.build({
    stdin: { contents, loader: loaderFor(file), sourcefile: file },
    bundle: false,
    write: false,
    format: "esm",
    target: "esnext",
    logLevel: "silent",
    legalComments: "none",
  });
  return result.outputFiles?.[0]?.text ?? "";
}
