// ScriptHost on workerd: the Worker Loader. Each pulse version runs in its own isolate whose env holds only
// RPC stubs bound with platform-set props, and whose every fetch() goes to the outbound gate.

import {
  PULSE_COMPATIBILITY_DATE,
  PULSE_MAIN_MODULE,
  ScriptHostError,
  type PulseTarget,
  type ScriptHost,
} from "../../platform/script-host.ts";
import { getBundle } from "../../platform/bundle-store.ts";
import type { EgressCaller } from "../../outbound/egress.ts";
import type { ScopedKVProps } from "../bindings/scoped-kv.ts";

/** The loopback entrypoints this host needs from the dispatcher's own exports. */
export interface LoaderExports {
  ScopedKV(options: { props: ScopedKVProps }): Fetcher;
  OutboundGate(options: { props: EgressCaller }): Fetcher;
}

export class WorkerLoaderHost implements ScriptHost {
  readonly kind = "worker-loader";

  readonly #loader: WorkerLoader;
  readonly #bundles: R2Bucket;
  readonly #exports: LoaderExports;

  constructor(loader: WorkerLoader, bundles: R2Bucket, exports: LoaderExports) {
    this.#loader = loader;
    this.#bundles = bundles;
    this.#exports = exports;
  }

  async invoke(target: PulseTarget, request: Request): Promise<Response> {
    const worker = this.#loader.get(isolateName(target), async () => {
      const code = await getBundle(this.#bundles, target.bundleKey);
      if (code === null) throw new ScriptHostError(`bundle ${target.bundleKey} is missing`);
      return {
        compatibilityDate: PULSE_COMPATIBILITY_DATE,
        mainModule: PULSE_MAIN_MODULE,
        modules: { [PULSE_MAIN_MODULE]: code },
        env: {
          kv: this.#exports.ScopedKV({ props: { pulseId: target.pulseId } }),
          VIBE_ID: target.pulseId,
        },
        globalOutbound: this.#exports.OutboundGate({ props: { pulseId: target.pulseId, tenantId: target.tenantId } }),
      };
    });
    return worker.getEntrypoint().fetch(request);
  }
}

/**
 * The loader caches an isolate, env included, under this name. It must name the pulse and not only the
 * version: version ids are content hashes, so two pulses deploying the same code share a version id, and a
 * cache keyed by it alone would hand one pulse the other's env.kv.
 */
export function isolateName(target: PulseTarget): string {
  return `${target.pulseId}/${target.versionId}`;
}
