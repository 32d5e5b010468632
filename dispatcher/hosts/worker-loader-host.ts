// ScriptHost on workerd: the Worker Loader. Each pulse version runs in its own isolate whose env holds only
// RPC stubs bound with platform-set props and plain reference strings, and whose every fetch() goes to the
// outbound gate.

import {
  PULSE_COMPATIBILITY_DATE,
  PULSE_COMPATIBILITY_FLAGS,
  PULSE_MAIN_MODULE,
  ScriptHostError,
  type PulseTarget,
  type ScriptHost,
} from "../../platform/script-host.ts";
import { getBundle } from "../../platform/bundle-store.ts";
import { fnv1a } from "../../platform/fnv1a.ts";
import { REQUEST_ID_HEADER } from "../../platform/errors.ts";
import { trackedRun } from "../request-log.ts";
import type { GateProps } from "../../outbound/gate.ts";
import type { ReferenceMaps } from "../../outbound/secret-store.ts";
import type { ScopedKVProps } from "../bindings/scoped-kv.ts";
import type { ScopedSQLProps } from "../bindings/pulse-database.ts";
import type { SecretCryptoProps } from "../bindings/secret-crypto.ts";
import type { LogTailProps } from "../logs/log-tail.ts";
import { PULSE_LOG_BINDING } from "../../platform/log-lines.ts";

/** The loopback entrypoints this host needs from the dispatcher's own exports. */
export interface LoaderExports {
  ScopedKV(options: { props: ScopedKVProps }): Fetcher;
  ScopedSQL(options: { props: ScopedSQLProps }): Fetcher;
  SecretCrypto(options: { props: SecretCryptoProps }): Fetcher;
  OutboundGate(options: { props: GateProps }): Fetcher;
  PulseLog(options: { props: LogTailProps }): Fetcher;
}

export class WorkerLoaderHost implements ScriptHost {
  readonly kind = "worker-loader";
  readonly #loader: WorkerLoader;
  readonly #bundles: R2Bucket;
  readonly #exports: LoaderExports;
  readonly #references: (target: PulseTarget) => Promise<ReferenceMaps>;
  readonly #lineKey: string | undefined;

  constructor(
    loader: WorkerLoader,
    bundles: R2Bucket,
    exports: LoaderExports,
    references: (target: PulseTarget) => Promise<ReferenceMaps>,
    /** Where a local watchdog reads the runs (WATCHDOG_LINE_KEY); without one, no lines are written. */
    lineKey?: string,
  ) {
    this.#loader = loader;
    this.#bundles = bundles;
    this.#exports = exports;
    this.#references = references;
    this.#lineKey = lineKey;
  }

  async invoke(target: PulseTarget, request: Request): Promise<Response> {
    // The loader reports a failed load as its own error: keep ours, so a storage failure stays one (503).
    let loadFailure: unknown;
    const isolate = isolateName(target);
    const worker = this.#loader.get(isolate, async () => {
      const [code, refs] = await Promise.all([loadBundle(this.#bundles, target), this.#references(target)]).catch(
        (error: unknown) => {
          loadFailure = error;
          throw error;
        },
      );
      const props = bindingProps(target);
      return pulseWorkerCode(target, code, refs, {
        kv: this.#exports.ScopedKV({ props: props.kv }),
        db: this.#exports.ScopedSQL({ props: props.db }),
        crypto: this.#exports.SecretCrypto({ props: props.crypto }),
        outbound: this.#exports.OutboundGate({ props: props.outbound }),
        log: this.#exports.PulseLog({ props: props.log }),
      });
    });
    const requestId = request.headers.get(REQUEST_ID_HEADER) ?? "";
    try {
      const run = () => worker.getEntrypoint().fetch(request);
      if (!this.#lineKey) return await run();
      const { pulseId, pulseName, versionId } = target;
      return await trackedRun(this.#lineKey, { pulseId, pulseName, versionId, requestId, isolate }, run);
    } catch (error) {
      throw loadFailure ?? error;
    }
  }
}

/** What a pulse's isolate is bound to: its storage, where its fetch() goes, who reads its logs. */
export interface PulseBindings {
  kv: Fetcher;
  /** Bound only on plans with SQL. */
  db: Fetcher;
  /** env.crypto: computes with the pulse's signing secrets outside its isolate. */
  crypto: Fetcher;
  outbound: Fetcher;
  /** The pulse's log (dispatcher/logs/pulse-log.ts); none for a preview's candidate, which keeps no log. */
  log?: Fetcher;
}

/** The props each binding of a pulse is bound with: the same whichever process runs the pulse. */
export function bindingProps(target: PulseTarget): {
  kv: ScopedKVProps;
  db: ScopedSQLProps;
  crypto: SecretCryptoProps;
  outbound: GateProps;
  log: LogTailProps;
} {
  const { pulseId, tenantId, plan, limits } = target;
  return {
    kv: { pulseId, tenantId, opsPerRequest: limits.kvOpsPerRequest, maxValueBytes: limits.kvValueBytes },
    db: { pulseId },
    crypto: { pulseId },
    outbound: {
      pulseId,
      tenantId,
      plan,
      subrequestLimit: limits.subrequestsPerRequest,
      recordReplay: (limits.replayInvocations ?? 0) > 0,
    },
    // The isolate's console lines and uncaught errors go to the pulse's log store (the request lines are the
    // dispatcher's: dispatcher/logs/store-batches.ts).
    log: { pulseId, retentionMs: limits.logRetentionHours * 3_600_000 },
  };
}

/** The version's bundle, or a ScriptHostError when the store has lost it. */
export async function loadBundle(bundles: R2Bucket, target: PulseTarget): Promise<string> {
  const code = await getBundle(bundles, target.bundleKey);
  if (code === null) throw new ScriptHostError(`bundle ${target.bundleKey} is missing`);
  return code;
}

/** The Worker Loader's description of one pulse version: the same for live traffic and for a preview. */
export function pulseWorkerCode(
  target: PulseTarget,
  code: string,
  refs: ReferenceMaps,
  bindings: PulseBindings,
): WorkerLoaderWorkerCode {
  const { pulseId, limits } = target;
  return {
    compatibilityDate: PULSE_COMPATIBILITY_DATE,
    compatibilityFlags: PULSE_COMPATIBILITY_FLAGS,
    // Accepted but not enforced by local workerd (measured); enforced on Cloudflare by the dispatch namespace.
    limits: { cpuMs: limits.cpuMs, subRequests: limits.subrequestsPerRequest },
    mainModule: PULSE_MAIN_MODULE,
    modules: { [PULSE_MAIN_MODULE]: code },
    env: {
      kv: bindings.kv,
      // Only on plans with SQL; a downgrade hides it (the data stays), an upgrade adds it on the next load.
      ...(limits.sql ? { db: bindings.db } : {}),
      crypto: bindings.crypto,
      VIBE_ID: pulseId,
      secrets: refs.secrets,
      connections: refs.connections,
      // Taken out of the env by the shim before user code runs (runtime-shim/log-capture.ts).
      ...(bindings.log ? { [PULSE_LOG_BINDING]: bindings.log } : {}),
    },
    globalOutbound: bindings.outbound,
  };
}

/**
 * The loader caches an isolate, env included, under this name. It must name the pulse and not only the
 * version: version ids are content hashes, so two pulses deploying the same code share a version id, and a
 * cache keyed by it alone would hand one pulse the other's env.kv. It also carries a hash of everything else
 * baked into the env (plan and its limits, secret names), so a change there loads a fresh isolate: an
 * upgrade to a plan with SQL gives env.db on the next request, without a redeploy.
 */
/** Computed once per target: the route cache hands the same target to every request of a version. */
const isolateNames = new WeakMap<PulseTarget, string>();

export function isolateName(target: PulseTarget): string {
  let name = isolateNames.get(target);
  if (name === undefined) {
    // Dots, not slashes: workerd's inspector names the isolate "LOADER:{name}" and cannot open a path with a slash.
    name = `${target.pulseId}.${target.versionId}.${fnv1a(`${target.plan}|${JSON.stringify(target.limits)}|${target.tenantId}|${target.secretNames.join(",")}`).toString(36)}`;
    isolateNames.set(target, name);
  }
  return name;
}
