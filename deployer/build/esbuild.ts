// esbuild-wasm inside the Worker: initialised once per isolate (~80 ms cold), then reused (warm builds
// take milliseconds). A failed initialisation is not cached, so the next build retries.

import * as esbuild from "esbuild-wasm/esm/browser.js";
import wasmModule from "esbuild-wasm/esbuild.wasm";
import type { EsbuildLike } from "../../platform/bundle.ts";

let ready: Promise<void> | undefined;

export async function getEsbuild(): Promise<EsbuildLike> {
  ready ??= esbuild.initialize({ wasmModule, worker: false }).catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  await ready;
  return esbuild as unknown as EsbuildLike;
}
