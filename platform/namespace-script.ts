// What a pulse version becomes in a Workers for Platforms dispatch namespace: its script name and the upload
// metadata (main module, compatibility, bindings, tags). One definition, used by the deployer when it uploads
// and by the dispatch-namespace stand-in of the tests when it loads, so what runs in tests is what is uploaded.
// Format: https://developers.cloudflare.com/workers/configuration/multipart-upload-metadata/

import type { PlanLimits } from "./plans.ts";
import {
  PULSE_COMPATIBILITY_DATE,
  PULSE_D1_BINDING,
  PULSE_COMPATIBILITY_FLAGS,
  PULSE_MAIN_MODULE,
} from "./script-host.ts";

/** The Worker whose entrypoints (ScopedKV) are bound into every pulse script. */
export const DISPATCHER_SERVICE = "pulse-dispatcher";

/** Characters of the version id kept in a script name: 96 bits, unique within one pulse. */
const VERSION_CHARS = 24;

/**
 * One script per pulse version (`{pulseId}-{version prefix}`, 46 characters): uploading a new version never
 * touches the one that serves, and going live or rolling back stays one pointer switch in the platform DB.
 */
export function scriptNameFor(pulseId: string, versionId: string): string {
  return `${pulseId}-${versionId.slice(0, VERSION_CHARS)}`;
}

export const tenantTag = (tenantId: string) => `tenant:${tenantId}`;
export const planTag = (plan: string) => `plan:${plan}`;
export const pulseTag = (pulseId: string) => `pulse:${pulseId}`;

export type ScriptBinding =
  | { type: "service"; name: string; service: string; entrypoint: string; props: Record<string, unknown> }
  | { type: "plain_text"; name: string; text: string }
  | { type: "json"; name: string; json: unknown }
  | { type: "d1"; name: string; id: string };

export interface ScriptMetadata {
  main_module: string;
  compatibility_date: string;
  compatibility_flags: string[];
  bindings: ScriptBinding[];
  tags: string[];
  /** Workers whose tail() receives the script's log lines, exceptions and outcome after each invocation. */
  tail_consumers: { service: string }[];
}

export interface ScriptSpec {
  pulseId: string;
  tenantId: string;
  plan: string;
  limits: PlanLimits;
  /** The pulse's own D1 database (plans with SQL). */
  databaseId?: string;
  secrets: Record<string, string>;
  connections: Record<string, string>;
}

/**
 * The bindings a pulse script gets. env.kv is a service binding to the dispatcher's ScopedKV entrypoint with
 * platform-set props, never the KV namespace itself: a KV binding hands its holder every key of every pulse
 * (get/list take any key), and user code runs beside its bindings, so the prefix would be a convention the
 * pulse could step around. With props, the prefix is fixed by the platform at upload and cannot be forged.
 */
export function scriptMetadata(spec: ScriptSpec): ScriptMetadata {
  const { pulseId, tenantId, limits } = spec;
  const bindings: ScriptBinding[] = [
    {
      type: "service",
      name: "kv",
      service: DISPATCHER_SERVICE,
      entrypoint: "ScopedKV",
      props: { pulseId, tenantId, opsPerRequest: limits.kvOpsPerRequest, maxValueBytes: limits.kvValueBytes },
    },
    // env.crypto: the same entrypoint with the pulse's id in props, so it signs with this pulse's secrets only.
    { type: "service", name: "crypto", service: DISPATCHER_SERVICE, entrypoint: "SecretCrypto", props: { pulseId } },
    { type: "plain_text", name: "VIBE_ID", text: pulseId },
    { type: "json", name: "secrets", json: spec.secrets },
    { type: "json", name: "connections", json: spec.connections },
  ];
  if (limits.sql) {
    if (!spec.databaseId) throw new Error(`pulse ${pulseId} is on a plan with SQL but has no database`);
    // Named apart from the workerd ScopedSQL stub ("db"): the shim adapts it to env.db.
    bindings.push({ type: "d1", name: PULSE_D1_BINDING, id: spec.databaseId });
  }
  return {
    main_module: PULSE_MAIN_MODULE,
    compatibility_date: PULSE_COMPATIBILITY_DATE,
    compatibility_flags: PULSE_COMPATIBILITY_FLAGS,
    bindings,
    tags: [tenantTag(tenantId), planTag(spec.plan), pulseTag(pulseId)],
    // The dispatcher's tail() writes them to the pulse's log store (dispatcher/logs/namespace-tail.ts).
    // https://developers.cloudflare.com/workers/observability/tail-workers/ (the SDK's metadata type has it)
    tail_consumers: [{ service: DISPATCHER_SERVICE }],
  };
}
