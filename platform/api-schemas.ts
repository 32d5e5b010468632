// The control-plane API's shapes, as zod schemas with OpenAPI metadata: the deployer validates with them and
// the spec at /v1/openapi.json is generated from them, so the two cannot drift. Clients (CLI, studio) import
// the inferred types from here.

import { z } from "@hono/zod-openapi";
import { isDnsLabel, RESERVED_LABELS } from "./names.ts";
import { MAX_FILES, MAX_SOURCE_BYTES } from "./source-rules.ts";
import { EgressRuleSchema } from "./egress-rule.ts";
import { PlanLimitsSchema } from "./plans.ts";
import { MAX_CANARY_SHARE, MIN_CANARY_SHARE } from "./canary-rule.ts";
import { ManifestDiffSchema, ManifestSchema } from "./manifest.ts";
import { ApprovalSchema } from "./approval-schemas.ts";
import { MAX_SCHEDULES } from "./schedules.ts";
import { MAX_STATIC_FILE_BYTES } from "./static-files.ts";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "pulse_not_found" }),
      message: z.string(),
      requestId: z.string().optional(),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

export const PulseNameSchema = z
  .string()
  .min(1)
  .max(63)
  .refine(
    isDnsLabel,
    "must be a lowercase DNS label: a-z, 0-9 and '-', not starting or ending with '-', at most 63 characters",
  )
  .refine((name) => !RESERVED_LABELS.has(name), "is reserved by the platform")
  .openapi({ example: "counter", description: "The pulse's subdomain label" });

export const NameParamSchema = z.object({
  name: z.string().openapi({ param: { name: "name", in: "path" }, example: "counter" }),
});

export const VersionIdSchema = z
  .string()
  .regex(/^[0-9a-f]{7,64}$/, "must be a version id (64 hex characters) or a unique prefix of at least 7")
  .openapi({ example: "c513e9385c6e" });

export const CreatePulseSchema = z
  .object({
    name: PulseNameSchema,
    tenant: z
      .string()
      .min(1)
      .max(63)
      .optional()
      .openapi({ description: "Tenant name; admins only (developers create in their own tenant)" }),
  })
  .openapi("CreatePulse");

export const PulseSchema = z
  .object({
    name: z.string(),
    id: z.string().openapi({ description: "The pulse's VIBE_ID: stable, never reused" }),
    tenant: z.string(),
    url: z.string(),
    activeVersionId: z.string().nullable(),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Pulse");

export const StaticFilesUploadSchema = z
  .object({
    files: z.record(z.string(), z.string()).openapi({
      description:
        `Path (relative, as under public/) -> base64 of the bytes. Served at the pulse's URL before run() is ` +
        `called. At most ${MAX_STATIC_FILE_BYTES} bytes per file; the plan sets the count and total (staticFiles, ` +
        "staticBytes). Refusals: 422 static_files_invalid, 413 static_file_too_large, static_files_too_many, " +
        "static_files_too_large.",
      example: { "index.html": "PGgxPmhlbGxvPC9oMT4=" },
    }),
    spa: z.boolean().optional().openapi({
      description: "Answer page requests (Accept: text/html) that match no file with index.html",
    }),
    runPrefix: z.string().optional().openapi({
      description: 'Only paths under this prefix (like "/api/") reach run(); other paths are files or 404',
      example: "/api/",
    }),
  })
  .openapi("StaticFilesUpload");

export const UploadSchema = z
  .object({
    files: z.record(z.string(), z.string()).openapi({
      description: `Relative path -> source. At most ${MAX_FILES} files, ${MAX_SOURCE_BYTES} bytes in all.`,
      example: {
        "index.ts": "export default async function run(input) { return { hello: input.name ?? 'world' }; }",
      },
    }),
    main: z.string().min(1).openapi({ example: "index.ts" }),
    deploy: z.boolean().optional().openapi({ description: "Make the version live in the same call" }),
    staticFiles: StaticFilesUploadSchema.optional(),
    keepStaticFiles: z
      .boolean()
      .optional()
      .openapi({
        description:
          "Without staticFiles: the new version serves the live version's static files (an edit of the code alone, " +
          "as Pulse Studio and the MCP tools make, keeps the app's pages). Default: a version without staticFiles " +
          "has none.",
      }),
  })
  .openapi("Upload");

export const SandboxBuildSchema = UploadSchema.extend({
  runTests: z.boolean().optional().openapi({ description: "Run the project's `npm test` before building" }),
}).openapi("SandboxBuild");

export const VersionSchema = z
  .object({
    id: z.string(),
    sizeBytes: z.number().int(),
    createdAt: z.string().openapi({ format: "date-time" }),
    createdBy: z.string().nullable(),
    active: z.boolean(),
    manifest: ManifestSchema.nullable().openapi({
      description: "What the code needs and calls; null for versions built before manifests were kept",
    }),
    staticManifest: z.string().nullable().optional().openapi({
      description: "Hash of the version's static-file manifest; null when it serves no files",
    }),
  })
  .openapi("Version");

export const DeploymentSchema = z
  .object({
    id: z.number().int(),
    versionId: z.string(),
    previousVersionId: z.string().nullable(),
    kind: z.enum(["deploy", "rollback"]),
    createdAt: z.string().openapi({ format: "date-time" }),
    createdBy: z.string().nullable(),
  })
  .openapi("Deployment");

export const UploadResultSchema = z
  .object({
    version: VersionSchema,
    buildMs: z.number().openapi({ description: "Time spent building; 0 when an identical upload was reused" }),
    reused: z.boolean().openapi({ description: "True when identical source was built before and its bundle reused" }),
    deployment: DeploymentSchema.nullable(),
    diff: ManifestDiffSchema.openapi({ description: "This version's manifest against the live one" }),
    approval: ApprovalSchema.nullable().openapi({ description: "Set (status 202) when the deploy waits for an admin" }),
  })
  .openapi("UploadResult");

export const DeploySchema = z
  .object({
    versionId: VersionIdSchema,
    canary: z
      .number()
      .int()
      .min(MIN_CANARY_SHARE)
      .max(MAX_CANARY_SHARE)
      .optional()
      .openapi({
        description:
          `Percent of end users' clients (${MIN_CANARY_SHARE}-${MAX_CANARY_SHARE}) sent to this version beside the live ` +
          "one; the platform promotes it after the window or rolls it back when it is measurably worse (docs/canary.md)",
        example: 10,
      }),
  })
  .openapi("Deploy");

const ArmFiguresSchema = z
  .object({
    requests: z.number().int(),
    errors: z.number().int().openapi({ description: "Answers with a 5xx status (exceptions, timeouts included)" }),
    errorRate: z.number(),
    p99Ms: z.number().nullable().openapi({ description: "Upper bound of the latency bucket holding the p99" }),
  })
  .openapi("CanaryArmFigures");

export const CanaryFiguresSchema = z
  .object({ live: ArmFiguresSchema, canary: ArmFiguresSchema, elapsedMs: z.number().int() })
  .openapi("CanaryFigures");

export const CanarySchema = z
  .object({
    id: z.number().int(),
    versionId: z.string(),
    liveVersionId: z.string(),
    share: z.number().int().openapi({ description: "Percent of clients on the canary" }),
    windowMs: z.number().int(),
    minRequests: z.number().int().openapi({ description: "Requests each side needs before it is judged" }),
    minLatencySamples: z.number().int().openapi({ description: "Requests each side needs before p99s are compared" }),
    status: z.enum(["open", "promoted", "rolled_back", "ended"]),
    reason: z
      .string()
      .nullable()
      .openapi({ description: "Why it was decided (with the figures), or what it waits for while open" }),
    figures: CanaryFiguresSchema.nullable().openapi({
      description: "The figures that decided it (so far, while open)",
    }),
    startedAt: z.string().openapi({ format: "date-time" }),
    startedBy: z.string().nullable(),
    decidedAt: z.string().nullable().openapi({ format: "date-time" }),
    deploymentId: z.number().int().nullable().openapi({ description: "The deployment a promotion wrote" }),
  })
  .openapi("Canary");
export type Canary = z.infer<typeof CanarySchema>;
export const RollbackSchema = z.object({ versionId: VersionIdSchema.optional() }).openapi("Rollback");

export const DeployResultSchema = z
  .object({
    deployment: DeploymentSchema.nullable(),
    changed: z.boolean(),
    diff: ManifestDiffSchema.optional(),
    approval: ApprovalSchema.nullable()
      .optional()
      .openapi({ description: "Set (status 202) when the switch waits for an admin" }),
    canary: CanarySchema.optional().openapi({ description: "Set when the call started a canary (no switch yet)" }),
  })
  .openapi("DeployResult");

export const DeleteResultSchema = z
  .object({ deleted: z.literal(true), name: z.string(), kvKeysDeleted: z.number().int() })
  .openapi("DeleteResult");

export type Pulse = z.infer<typeof PulseSchema>;
export type Version = z.infer<typeof VersionSchema>;
export type Deployment = z.infer<typeof DeploymentSchema>;
export type UploadResult = z.infer<typeof UploadResultSchema>;

// ---- secrets and connections ----

const SecretHostSchema = z
  .string()
  .max(253)
  .regex(
    /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
    'must be a host ("api.example.com") or "*.example.com"; "*" alone is not allowed for a secret',
  );

export const SecretNameParamSchema = z.object({
  name: z.string().openapi({ param: { name: "name", in: "path" }, example: "counter" }),
  secret: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/, "must be UPPER_SNAKE_CASE, at most 64 characters")
    .openapi({ param: { name: "secret", in: "path" }, example: "STRIPE_KEY" }),
});

const SecretHostsSchema = z.array(SecretHostSchema).max(20);
const HOSTS_DOC = { description: "The only hosts this value may be sent to", example: ["api.stripe.com"] };

const placement = {
  hosts: SecretHostsSchema.min(1).openapi(HOSTS_DOC),
  allowInUrl: z
    .boolean()
    .optional()
    .openapi({ description: "Also substitute references found in the URL (default: headers only)" }),
  allowInBody: z
    .boolean()
    .optional()
    .openapi({ description: "Also substitute references found in the request body (default: headers only)" }),
};

/** Values shorter than 8 characters could not be redacted from responses without mangling them. */
const SecretValue = z.string().min(8, "must be at least 8 characters").max(8192);

export const PutSecretSchema = z
  .object({
    value: SecretValue,
    ...placement,
    // A secret that only signs (a webhook's signing key) is sent nowhere: its hosts may then be empty.
    hosts: SecretHostsSchema.openapi(HOSTS_DOC),
    allowSigning: z.boolean().optional().openapi({
      description:
        "Let the pulse compute with it through env.crypto (HMAC, HS256 JWT) without seeing it (default: false)",
    }),
  })
  .refine((body) => body.hosts.length > 0 || body.allowSigning === true, {
    path: ["hosts"],
    message: "must list at least one host, unless allowSigning is true (a secret used only to sign)",
  })
  .openapi("PutSecret");
export const PutConnectionSchema = z
  .object({
    accessToken: SecretValue.openapi({ description: "The OAuth access token for the provider's API" }),
    ...placement,
  })
  .openapi("PutConnection");

export const SecretInfoSchema = z
  .object({
    name: z.string(),
    kind: z.enum(["secret", "connection"]),
    hosts: z.array(z.string()),
    allowInUrl: z.boolean(),
    allowInBody: z.boolean(),
    allowSigning: z.boolean().openapi({ description: "env.crypto may sign with it (secrets only)" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("SecretInfo");

// ---- egress rules ----

export const EgressRulesSchema = z.object({ rules: z.array(EgressRuleSchema).max(100) }).openapi("EgressRules", {
  description: "First match wins inside a layer; every layer (plan, tenant, pulse) must allow a request.",
});

// ---- admin: plans, tenants, tokens, usage ----

export const PlanNameSchema = z.string().regex(/^[a-z0-9]{1,40}$/, "must be 1-40 lowercase letters or digits");

export const PlanSchema = z
  .object({ name: z.string(), limits: PlanLimitsSchema, updatedAt: z.string().openapi({ format: "date-time" }) })
  .openapi("Plan");
export const CreatePlanSchema = z.object({ name: PlanNameSchema, limits: PlanLimitsSchema }).openapi("CreatePlan");
export const UpdatePlanSchema = z.object({ limits: PlanLimitsSchema.partial() }).openapi("UpdatePlan");

export const TenantNameSchema = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a lowercase DNS label");
export const TenantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    plan: z.string(),
    status: z.enum(["active", "suspended"]),
    pulses: z.number().int(),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Tenant");
export const CreateTenantSchema = z.object({ name: TenantNameSchema, plan: PlanNameSchema }).openapi("CreateTenant");
export const UpdateTenantSchema = z.object({ plan: PlanNameSchema }).openapi("UpdateTenant");
export const IssueTokenSchema = z
  .object({
    subject: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "Who the token is for (its sub); defaults to the tenant's name" }),
    expiresInHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 365)
      .optional()
      .openapi({ description: "Default 720 (30 days)" }),
  })
  .openapi("IssueToken");
export const TokenSchema = z
  .object({ token: z.string(), expiresAt: z.string().openapi({ format: "date-time" }) })
  .openapi("Token");

export const UsageRowSchema = z
  .object({
    pulse: z.string().nullable().openapi({ description: "Pulse name, null once the pulse is deleted" }),
    pulseId: z.string(),
    tenantId: z.string(),
    day: z.string(),
    requests: z.number().int(),
    errors: z.number().int(),
    kvOps: z.number().int(),
    subrequests: z.number().int(),
    wallMs: z.number().int(),
  })
  .openapi("UsageRow");
export const UsageQuerySchema = z.object({
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .openapi({ param: { name: "from", in: "query" }, description: "First UTC day, default 7 days ago" }),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .openapi({ param: { name: "to", in: "query" }, description: "Last UTC day, default today" }),
  tenant: z
    .string()
    .optional()
    .openapi({ param: { name: "tenant", in: "query" }, description: "Admins: one tenant's usage (by name)" }),
});

// ---- export to a standalone Worker ----

export const ExportQuerySchema = z.object({
  version: VersionIdSchema.optional().openapi({
    param: { name: "version", in: "query" },
    description: "A version id or unique prefix; default: the live version",
  }),
});

const ExportBoundsSchema = {
  bytes: z.number().int().openapi({ description: "Bytes exported" }),
  complete: z.boolean().openapi({ description: "False when the export stopped at a size bound: the data is partial" }),
  maxBytes: z.number().int(),
};

export const ExportSchema = z
  .object({
    pulse: z.string(),
    pulseId: z.string(),
    versionId: z.string(),
    from: z.enum(["source", "bundle"]).openapi({
      description:
        "source: the developer's files; bundle: only the built bundle was kept (versions built before sources were)",
    }),
    files: z
      .record(z.string(), z.string())
      .openapi({ description: "The project: relative path -> text. Write them out and run `wrangler dev`" }),
    binaryFiles: z.record(z.string(), z.string()).optional().openapi({
      description: "Static files that are not text (images, fonts): relative path -> base64 of the bytes",
    }),
    data: z.object({
      kv: z
        .object({ keys: z.number().int(), maxKeys: z.number().int(), ...ExportBoundsSchema })
        .openapi({ description: "data/kv.json, for `wrangler kv bulk put`" }),
      sql: z
        .object({ tables: z.number().int(), rows: z.number().int(), ...ExportBoundsSchema })
        .nullable()
        .openapi({ description: "data/db.sql, for `wrangler d1 execute --file`; null on plans without SQL" }),
    }),
    secrets: z
      .array(z.string())
      .openapi({ description: "Names to set with `wrangler secret put` (values are never exported)" }),
    connections: z
      .array(z.string())
      .openapi({ description: "Connections, set as `wrangler secret put connection_NAME`" }),
    notes: z.array(z.string()),
  })
  .openapi("Export");
export type ExportResult = z.infer<typeof ExportSchema>;

// ---- studio: a version's source, invoking a pulse ----

export const VersionSourceSchema = z
  .object({
    versionId: z.string(),
    main: z.string(),
    files: z.record(z.string(), z.string()).openapi({ description: "Relative path -> source, as uploaded" }),
  })
  .openapi("VersionSource");

export const VersionParamSchema = NameParamSchema.extend({
  version: VersionIdSchema.openapi({ param: { name: "version", in: "path" } }),
});

export const INVOKE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

export const InvokeSchema = z
  .object({
    method: z.enum(INVOKE_METHODS),
    path: z
      .string()
      .max(2048)
      .regex(/^\/(?![/\\])[^\s#\\]*$/, 'must start with one "/" and hold no spaces, backslashes or "#"')
      .optional()
      .openapi({ description: 'Path and query, default "/"' }),
    input: z
      .unknown()
      .optional()
      .openapi({ description: "POST/PUT/PATCH: sent as the JSON body; GET/DELETE: an object of query parameters" }),
  })
  .openapi("Invoke");

export const InvokeResultSchema = z
  .object({
    status: z.number().int(),
    requestId: z.string().nullable(),
    contentType: z.string().nullable(),
    body: z.string().openapi({ description: "The response body as text, cut at 64 KiB" }),
    truncated: z.boolean(),
    ms: z.number(),
  })
  .openapi("InvokeResult");

export type VersionSource = z.infer<typeof VersionSourceSchema>;
export type InvokeResult = z.infer<typeof InvokeResultSchema>;
export type SecretInfo = z.infer<typeof SecretInfoSchema>;
export type Plan = z.infer<typeof PlanSchema>;
export type Tenant = z.infer<typeof TenantSchema>;
export type UsageRow = z.infer<typeof UsageRowSchema>;

// ---- schedules ----

const CronSchema = z
  .string()
  .min(1)
  .max(200)
  .openapi({ example: "*/5 * * * *", description: "5 fields (minute hour day month weekday), UTC" });

export const PutSchedulesSchema = z
  .object({
    schedule: z
      .union([CronSchema, z.array(CronSchema).max(MAX_SCHEDULES)])
      .nullable()
      .optional()
      .openapi({
        description:
          "Overrides the live version's `schedule` export (an empty list: no runs); null goes back to the export",
      }),
    paused: z.boolean().optional().openapi({
      description: "A paused schedule keeps its expressions and runs nothing; occurrences while paused are not owed",
    }),
  })
  .openapi("PutSchedules");

export const ScheduleRunSchema = z
  .object({
    id: z.number().int(),
    cron: z.string(),
    scheduledTime: z.string().openapi({ format: "date-time", description: "The occurrence this run is for" }),
    startedAt: z.string().openapi({ format: "date-time" }),
    outcome: z.enum([
      "ok",
      "error",
      "timeout",
      "unavailable",
      "skipped_suspended",
      "skipped_quarantined",
      "skipped_not_deployed",
      "skipped_plan_minimum",
    ]),
    status: z.number().int().nullable().openapi({ description: "The pulse's HTTP status; null when it did not run" }),
    ms: z.number().int().nullable(),
    requestId: z.string().openapi({ description: "Its log lines carry this id" }),
    missed: z
      .number()
      .int()
      .openapi({ description: "Earlier occurrences missed while the platform was down: run once, not replayed" }),
    detail: z.string().nullable(),
  })
  .openapi("ScheduleRun");

export const SchedulesSchema = z
  .object({
    source: z
      .enum(["version", "override", "none"])
      .openapi({ description: "Where the expressions that run come from" }),
    schedule: z.array(z.string()).openapi({ description: "The expressions that run (unless paused)" }),
    versionSchedule: z
      .array(z.string())
      .nullable()
      .openapi({ description: "The live version's `schedule` export; null: none" }),
    override: z.array(z.string()).nullable(),
    paused: z.boolean(),
    minIntervalSeconds: z.number().int().openapi({ description: "The plan's minimum time between two runs" }),
    nextRunAt: z.string().nullable().openapi({ format: "date-time" }),
    runs: z.array(ScheduleRunSchema).openapi({ description: "Newest first" }),
  })
  .openapi("Schedules");
