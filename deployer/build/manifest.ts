// Derives a version's capability manifest at build time. Each uploaded file the build reached is scanned as
// plain JavaScript: JavaScript files as uploaded (a bundle keeps the comments that say which package its code
// came from), TypeScript and JSX after esbuild has removed types and JSX on its own (nothing bundled, the shim
// never included). Analysis never fails a deploy: what cannot be analysed counts as asking for everything
// (computed fetch targets, secrets by computed names), with a warning in the manifest.

import { loaderFor, type EsbuildLike } from "../../platform/bundle.ts";
import { MANIFEST_FORMAT, type Manifest } from "../../platform/manifest.ts";
import { scanCapabilities, type Capabilities, type SourceFile } from "./capability-scan.ts";

export interface ManifestInput {
  files: Record<string, string>;
  main: string;
  /** The files the build reached; uploaded files nothing imports are not part of the version. */
  reached: string[];
  bundleBytes: number;
}

export async function deriveManifest(esbuild: EsbuildLike, input: ManifestInput): Promise<Manifest> {
  const sources: SourceFile[] = [];
  const untransformed: string[] = [];
  const code = input.reached.filter((f) => !f.endsWith(".json") && Object.hasOwn(input.files, f)).sort();
  for (const file of code) {
    try {
      sources.push({ file, text: await plainJs(esbuild, file, input.files[file]!) });
    } catch {
      untransformed.push(file);
    }
  }
  let caps: Capabilities;
  try {
    caps = scanCapabilities(sources, input.main);
  } catch {
    caps = everything(code);
  }
  for (const file of untransformed) {
    caps.warnings.push(
      `${file}: could not be turned into plain JavaScript for analysis; counted as fetching computed targets and reading secrets by computed names`,
    );
    caps.egress.dynamicFetch = true;
    caps.dynamicSecrets = true;
    caps.egress.dynamicTargets.push({ file, target: "(file could not be analysed)" });
  }
  return { format: MANIFEST_FORMAT, ...caps, bundleBytes: input.bundleBytes, files: code };
}

/** The conservative answer when the scan itself fails: every unknown is assumed. */
function everything(files: string[]): Capabilities {
  return {
    usesDb: true,
    secrets: [],
    connections: [],
    dynamicSecrets: true,
    egress: {
      hosts: [],
      dynamicFetch: true,
      dynamicTargets: files.slice(0, 1).map((file) => ({ file, target: "(not analysed)" })),
    },
    schedules: [],
    dynamicSchedule: true,
    packages: [],
    warnings: [
      "the capability scan failed on this source; counted as using env.db, fetching computed targets and reading secrets by computed names",
    ],
  };
}

async function plainJs(esbuild: EsbuildLike, file: string, contents: string): Promise<string> {
  const loader = loaderFor(file);
  if (loader === "js") return contents;
  const result = await esbuild.build({
    stdin: { contents, loader, sourcefile: file },
    bundle: false,
    write: false,
    format: "esm",
    target: "esnext",
    logLevel: "silent",
    legalComments: "none",
  });
  return result.outputFiles?.[0]?.text ?? "";
}
