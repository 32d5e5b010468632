// esbuild-wasm inside the Worker: initialised once per isolate (~80 ms cold), then reused (warm builds
// take milliseconds). The instance is disposable: a source can kill its Go runtime (a stack exhausted by
// deep nesting ends in "fatal error", after which every call fails or never answers), so a build that fails
// without esbuild's diagnostics, or does not answer, discards the instance and the next build starts a fresh
// one. esbuild's browser module holds one service per module: `stop()` forgets it and `initialize()` may then
// run again (node_modules/esbuild-wasm/esm/browser.js). A failed initialisation is not kept either.

import * as esbuild from "esbuild-wasm/esm/browser.js";
import wasmModule from "esbuild-wasm/esbuild.wasm";
import type { EsbuildLike } from "../../platform/bundle.ts";
import { BUILD_PROBE_INTERVAL_MS, BUILD_TIMEOUT_MS } from "../limits.ts";

/** A build that ended the instance it ran on (not a diagnostic of the source). */
export class EsbuildInstanceLost extends Error {
  override name = "EsbuildInstanceLost";
}

let ready: Promise<void> | undefined;
/** Counts instances, so a build knows which one it ran on. */
let generation = 0;

/** The live instance's generation, once it is initialised. */
async function instance(): Promise<number> {
  if (!ready) {
    generation++;
    ready = esbuild.initialize({ wasmModule, worker: false }).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
  }
  await ready;
  return generation;
}

/** Forgets a dead instance, once: builds that ran on it and fail later do not discard its successor. */
function discard(ranOn: number): void {
  if (ranOn !== generation || !ready) return;
  ready = undefined;
  void esbuild.stop();
}

const guarded: EsbuildLike = {
  async build(options) {
    const ranOn = await instance();
    try {
      return await watched(esbuild.build(options) as ReturnType<EsbuildLike["build"]>);
    } catch (error) {
      if (Array.isArray((error as { errors?: unknown }).errors)) throw error; // the source's own diagnostics
      discard(ranOn);
      throw new EsbuildInstanceLost(`the bundler stopped during the build: ${String(error)}`);
    }
  },
};

export async function getEsbuild(): Promise<EsbuildLike> {
  await instance();
  return guarded;
}

/**
 * A build, watched: a Go runtime that exited mid-build never answers, but the next call made to it fails at
 * once (esbuild then rejects every pending call), so a cheap call every BUILD_PROBE_INTERVAL_MS finds a dead
 * instance within that interval; BUILD_TIMEOUT_MS bounds the rest.
 */
function watched<T>(build: Promise<T>): Promise<T> {
  let probe: ReturnType<typeof setInterval> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const watchdog = new Promise<never>((_, fail) => {
    // Through a promise: with no instance at all, esbuild throws at once instead of rejecting.
    probe = setInterval(
      () =>
        void Promise.resolve()
          .then(() => esbuild.transform(""))
          .catch(fail),
      BUILD_PROBE_INTERVAL_MS,
    );
    timer = setTimeout(() => fail(new Error(`no answer within ${BUILD_TIMEOUT_MS} ms`)), BUILD_TIMEOUT_MS);
  });
  return Promise.race([build, watchdog]).finally(() => {
    clearInterval(probe);
    clearTimeout(timer);
  });
}
