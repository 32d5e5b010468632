// Node side: bundles every test/fixtures/pulses/*.ts (one file each) or */ folder into what a deploy would
// store. A fixture that fails to build is kept with its diagnostics: some attacks must fail at build time.

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { bundlePulse, type Diagnostic } from "../../platform/bundle.ts";
import { shimCode } from "../../supervisor/pulse-build.ts";
import { ROOT } from "../../supervisor/workers.ts";
import { collectStaticFiles } from "../../cli/project.ts";

export type FixtureBuild = { code: string } | { errors: Diagnostic[] };

export async function buildFixtures(): Promise<Record<string, FixtureBuild>> {
  const dir = join(ROOT, "test/fixtures/pulses");
  const shim = await shimCode();
  const out: Record<string, FixtureBuild> = {};
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".ts")).sort()) {
    const result = await bundlePulse(
      esbuild,
      { files: { [file]: await readFile(join(dir, file), "utf8") }, main: file },
      shim,
    );
    out[file.replace(/\.ts$/, "")] = result.ok ? { code: result.code } : { errors: result.errors };
  }
  return out;
}

/** The examples/ projects as uploads ({ files, main, staticFiles? }), for tests that deploy them through the API. */
export async function readExamples(): Promise<Record<string, ExampleUpload>> {
  const dir = join(ROOT, "examples");
  const out: Record<string, ExampleUpload> = {};
  for (const name of await readdir(dir)) {
    const project = JSON.parse(await readFile(join(dir, name, "pulse.json"), "utf8")) as { main: string };
    // Type-only imports of the contract are erased by the build; the example is its one file, plus its public/
    // files collected as the CLI does.
    out[name] = {
      files: { [project.main]: await readFile(join(dir, name, project.main), "utf8") },
      main: project.main,
      ...(await collectStaticFiles(join(dir, name))),
    };
  }
  return out;
}

export interface ExampleUpload {
  files: Record<string, string>;
  main: string;
  staticFiles?: { files: Record<string, string>; spa?: boolean; runPrefix?: string };
}
