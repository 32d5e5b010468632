import type { PlanLimits } from "./plans.ts";

// The one seam between the dispatcher and whatever runs user code. The dispatcher resolves a request to a
// PulseTarget and hands it to a ScriptHost; it never knows whether the host is the Worker Loader (workerd,
// local and self-hosted) or a Workers for Platforms dispatch namespace (Cloudflare).

/** Everything a host needs to run one version of one pulse. Built by the dispatcher from the platform DB. */
export interface PulseTarget {
  /** Internal pulse id: the VIBE_ID user code sees and the KV prefix. Never the (reusable) name. */
  pulseId: string;
  pulseName: string;
  tenantId: string;
  /** Content hash of the bundle. Not unique across pulses: two pulses may deploy identical code. */
  versionId: string;
  /** Where the bundle lives in the bundle store (content-addressed). */
  bundleKey: string;
  /** The tenant's plan: its egress defaults and its limits. */
  plan: string;
  limits: PlanLimits;
  /** Secrets and connections the pulse has, as "kind:NAME", sorted: env.secrets / env.connections hold their references. */
  secretNames: string[];
  /** Hash of the version's static-file manifest (platform/static-files.ts); absent or null: no files. */
  staticManifest?: string | null;
}

export interface ScriptHost {
  readonly kind: "worker-loader" | "dispatch-namespace" | "cells";
  /** Runs the request through the target's script. Throws ScriptHostError when the script cannot be run. */
  invoke(target: PulseTarget, request: Request): Promise<Response>;
}

/** The script could not be started (missing bundle, host failure): the dispatcher answers 502, not the pulse. */
export class ScriptHostError extends Error {
  override readonly name = "ScriptHostError";
}

/** Main module name inside every deployed script. */
export const PULSE_MAIN_MODULE = "pulse.js";

/** The compatibility date every pulse runs with; moved forward deliberately, never implicitly. */
export const PULSE_COMPATIBILITY_DATE = "2026-08-01";
/**
 * nodejs_compat: the Node.js built-ins npm packages need (Buffer, node:crypto, node:stream, ...) and the
 * AsyncLocalStorage of the shim's per-request context. Which built-ins a pulse may import is decided at build
 * time (platform/node-builtins.ts).
 */
export const PULSE_COMPATIBILITY_FLAGS = ["nodejs_compat"];
/** The binding name of a pulse's own D1 in its uploaded script; the shim turns it into env.db. */
export const PULSE_D1_BINDING = "PULSE_D1";
