// Node-side pulse builds (seeding, tests, bench) with native esbuild and the same bundlePulse the deployer uses.

import * as esbuild from "esbuild";
import { join } from "node:path";
import { bundlePulse, bundleShim, type PulseSource } from "../platform/bundle.ts";
import { ROOT } from "./workers.ts";

let shim: Promise<string> | undefined;

export function shimCode(): Promise<string> {
  shim ??= bundleShim(esbuild, join(ROOT, "runtime-shim/index.ts"));
  return shim;
}

export async function buildPulse(source: PulseSource): Promise<string> {
  const result = await bundlePulse(esbuild, source, await shimCode());
  if (!result.ok) throw new Error(`pulse build failed: ${JSON.stringify(result.errors)}`);
  return result.code;
}
