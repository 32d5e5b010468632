// The MCP tools. Each one is a zod input schema and a function over the REST API, called in-process with the
// caller's own token (internal-call.ts): the REST routes stay the only place the business rules live. Every
// result is structured: { ok: true, ... } or { ok: false, error: { code, message, ...details } }.

import { z } from "zod";
import {
  DeploySchema,
  PulseNameSchema,
  PutSecretSchema,
  SecretNameParamSchema,
  UsageQuerySchema,
  VersionIdSchema,
} from "../../platform/api-schemas.ts";
import { type ApiClient, bodyOf, type LogPage } from "../../platform/api-client/client.ts";
import type { DeployerEnv, LogEntryWire } from "../env.ts";
import type { ErrorCode } from "../../platform/errors.ts";
import type { InvokeRequest } from "../../platform/invoke.ts";

export class ToolError extends Error {
  override readonly name = "ToolError";
  readonly code: string;
  readonly details: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

export interface ToolContext {
  /** The REST API in-process with the caller's token; a refusal is thrown as an ApiFailure and reported as is. */
  api: ApiClient;
  env: DeployerEnv;
}

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  input: z.ZodRawShape;
  /** Destroys or replaces what serves: marked in annotations, and subject to the tenant's confirmation policy. */
  destructive?: boolean;
  readOnly?: boolean;
  idempotent?: boolean;
  /** Reaches beyond the platform (a pulse may fetch anything its egress rules allow). */
  openWorld?: boolean;
  run(args: any, ctx: ToolContext): Promise<Record<string, unknown>>;
}

/** How long invoke_pulse waits for the request's log lines (the runtime hands them over after the answer). */
const LOG_WAIT_MS = 3000;
const LOG_POLL_MS = 50;
/** Answers the data plane gives before the pulse runs: no log lines will come, so none are waited for. */
const ANSWERED_BEFORE_RUNNING: ReadonlySet<string> = new Set([
  "pulse_not_found",
  "pulse_not_deployed",
  "tenant_suspended",
  "pulse_quarantined",
  "rate_limited",
  "request_too_large",
] satisfies ErrorCode[]);

// The REST API's own schemas where they exist: one definition of each rule.
const pulseArg = PulseNameSchema.describe("The pulse's name (its subdomain)");
const confirmationArg = z
  .string()
  .max(100)
  .optional()
  .describe(
    "Only when a previous call answered confirmation_required: the token it gave, with otherwise identical arguments",
  );

const at = (name: string) => ({ params: { path: { name } } });

/** A page of the pulse's log entries after an id. */
async function readLogs(api: ApiClient, name: string, query: { after?: number; limit: number }): Promise<LogPage> {
  return (await bodyOf(api.GET("/v1/pulses/{name}/logs", { params: { path: { name }, query } }))) as LogPage;
}

export const TOOLS: ToolDefinition[] = [
  {
    name: "list_pulses",
    title: "List pulses",
    description: "The pulses of your tenant: name, URL, live version.",
    input: {},
    readOnly: true,
    async run(_args, { api }) {
      return bodyOf(api.GET("/v1/pulses"));
    },
  },
  {
    name: "create_pulse",
    title: "Create a pulse",
    description:
      "Creates an empty pulse; its name becomes its subdomain (lowercase DNS label). Deploy code with deploy_version.",
    input: { name: pulseArg },
    async run(args: { name: string }, { api }) {
      return { pulse: await bodyOf(api.POST("/v1/pulses", { body: { name: args.name } })) };
    },
  },
  {
    name: "deploy_version",
    title: "Build and deploy a version",
    description:
      "Builds the files (TypeScript or JavaScript; `main` default-exports async function run(input, env, ctx)) into an immutable version and, " +
      "unless deploy is false, makes it live at once; with canary (a percent, 1-50) it serves that share of clients beside " +
      "the live version instead, and the platform promotes it or rolls it back (result.canary says how it stands). " +
      "A build error answers error.code build_failed with error.diagnostics: " +
      "[{ file, line, column, text }]; nothing changes then. Read pulse://docs/contract first.",
    input: {
      pulse: pulseArg,
      files: z
        .record(z.string(), z.string())
        .describe('Relative path -> source, e.g. { "index.ts": "export default async function run(input) { ... }" }'),
      main: z.string().min(1).describe("The entry file, e.g. index.ts"),
      deploy: z.boolean().default(true).describe("Make it live (default true)"),
      canary: DeploySchema.shape.canary.describe(
        "Start it as a canary on this percent of clients (1-50) instead of making it live for everyone",
      ),
    },
    async run(
      args: { pulse: string; files: Record<string, string>; main: string; deploy: boolean; canary?: number },
      { api },
    ) {
      if (args.canary !== undefined && !args.deploy)
        throw new ToolError("invalid_request", "canary starts the version: it cannot be combined with deploy: false");
      const deploy = args.deploy && args.canary === undefined;
      const built = await bodyOf(
        api.POST("/v1/pulses/{name}/versions", {
          ...at(args.pulse),
          // An agent edits code: the app's static files stay those of the live version.
          body: { files: args.files, main: args.main, deploy, keepStaticFiles: true },
        }),
      );
      if (args.canary !== undefined) {
        const started = await bodyOf(
          api.POST("/v1/pulses/{name}/deployments", {
            ...at(args.pulse),
            body: { versionId: built.version.id, canary: args.canary },
          }),
        );
        return { live: false, ...built, canary: started.canary };
      }
      // A deploy held for an admin's approval (202, built.approval) is not live yet.
      return { live: deploy && !built.approval, ...built };
    },
  },
  {
    name: "invoke_pulse",
    title: "Call a pulse",
    description:
      "Calls the pulse as an end user would (POST with `input` as JSON, or GET without it) and returns its status, body and request id, " +
      "with the log lines of that very request: console output and, for a thrown error, its stack (end users only ever see a generic 500).",
    input: {
      pulse: pulseArg,
      input: z.unknown().optional().describe("JSON sent as the body (the handler's `input`)"),
      method: z
        .enum(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .optional()
        .describe("Default: POST with input, GET without"),
      path: z
        .string()
        .max(2048)
        .regex(/^\//, "must start with /")
        .default("/")
        .describe("Path and query, e.g. /?name=ada"),
    },
    openWorld: true,
    async run(args: { pulse: string; input?: unknown; method?: InvokeRequest["method"]; path: string }, { api, env }) {
      if (!env.ROUTES) throw new ToolError("platform_unavailable", "Pulses cannot be called from this control plane");
      await bodyOf(api.GET("/v1/pulses/{name}", at(args.pulse))); // yours, or not found: before anything runs
      const method = args.method ?? (args.input === undefined ? "GET" : "POST");
      if (args.input !== undefined && method === "GET")
        throw new ToolError(
          "invalid_request",
          "A GET has no body: use POST for input, or put parameters in path's query",
        );
      const newest = (await readLogs(api, args.pulse, { limit: 1 })).logs.at(-1)?.id ?? 0;
      const answer = await env.ROUTES.invoke(args.pulse, {
        method,
        path: args.path,
        ...(args.input === undefined ? {} : { body: JSON.stringify(args.input), contentType: "application/json" }),
      });
      const body = parseMaybeJson(answer.body, answer.contentType);
      const ran = !ANSWERED_BEFORE_RUNNING.has((body as { error?: { code?: string } } | null)?.error?.code ?? "");
      const { logs, complete } = ran
        ? await logsOfRequest(api, args.pulse, newest, answer.requestId)
        : { logs: [], complete: true };
      return {
        status: answer.status,
        requestId: answer.requestId,
        contentType: answer.contentType,
        body,
        truncated: answer.truncated,
        logs,
        errors: logs.filter((e) => e.level === "error" || e.level === "exception"),
        logsComplete: complete,
      };
    },
  },
  {
    name: "get_logs",
    title: "Read a pulse's logs",
    description:
      "Log entries, oldest first: console lines, uncaught errors with stacks, one `request` line per call. Filter by requestId; page with after (an entry id).",
    input: {
      pulse: pulseArg,
      requestId: z.string().max(100).optional().describe("Only this request's entries"),
      after: z.number().int().min(0).optional().describe("Only entries with a larger id"),
      limit: z.number().int().min(1).max(1000).default(100),
    },
    readOnly: true,
    async run(args: { pulse: string; requestId?: string; after?: number; limit: number }, { api }) {
      const { logs } = await readLogs(api, args.pulse, {
        ...(args.after === undefined ? {} : { after: args.after }),
        limit: args.limit,
      });
      return { logs: args.requestId ? logs.filter((e) => e.requestId === args.requestId) : logs };
    },
  },
  {
    name: "list_versions",
    title: "List versions",
    description: "The pulse's versions, newest first, the live one marked active.",
    input: { pulse: pulseArg },
    readOnly: true,
    async run(args: { pulse: string }, { api }) {
      return bodyOf(api.GET("/v1/pulses/{name}/versions", at(args.pulse)));
    },
  },
  {
    name: "rollback",
    title: "Roll back",
    description:
      "Makes the version that was live before the current one live again, or a named version (id or a unique prefix of 7+ characters).",
    input: { pulse: pulseArg, versionId: VersionIdSchema.optional(), confirmationToken: confirmationArg },
    destructive: true,
    async run(args: { pulse: string; versionId?: string }, { api }) {
      return bodyOf(
        api.POST("/v1/pulses/{name}/rollback", {
          ...at(args.pulse),
          body: args.versionId ? { versionId: args.versionId } : undefined,
        }),
      );
    },
  },
  {
    name: "set_secret",
    title: "Set a secret",
    description:
      "Stores a secret for the pulse, sent only to the listed hosts. The pulse sees env.secrets.NAME as an opaque reference to put in a fetch() header. " +
      "With allowSigning the pulse may also compute HMACs and HS256 JWTs with it through env.crypto (hosts may then be empty). " +
      "The value is never returned by any tool.",
    input: {
      pulse: pulseArg,
      name: SecretNameParamSchema.shape.secret,
      ...PutSecretSchema.shape,
    },
    idempotent: true,
    async run(
      args: {
        pulse: string;
        name: string;
        value: string;
        hosts: string[];
        allowInUrl?: boolean;
        allowInBody?: boolean;
        allowSigning?: boolean;
      },
      { api },
    ) {
      const { pulse, name, ...body } = args;
      const params = { path: { name: pulse, secret: name } };
      return { secret: await bodyOf(api.PUT("/v1/pulses/{name}/secrets/{secret}", { params, body })) };
    },
  },
  {
    name: "delete_pulse",
    title: "Delete a pulse",
    description:
      "Stops serving at once and removes the pulse's versions, secrets, KV data, SQL database and logs. Cannot be undone.",
    input: { pulse: pulseArg, confirmationToken: confirmationArg },
    destructive: true,
    async run(args: { pulse: string }, { api }) {
      return bodyOf(api.DELETE("/v1/pulses/{name}", at(args.pulse)));
    },
  },
  {
    name: "get_usage",
    title: "Read usage",
    description: "Requests, errors, KV operations, subrequests and wall time per UTC day (default: the last 7 days).",
    input: {
      pulse: pulseArg,
      from: UsageQuerySchema.shape.from,
      to: UsageQuerySchema.shape.to,
    },
    readOnly: true,
    async run(args: { pulse: string; from?: string; to?: string }, { api }) {
      const { from, to } = args;
      const query = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
      return bodyOf(api.GET("/v1/pulses/{name}/usage", { params: { path: { name: args.pulse }, query } }));
    },
  },
];

/** The entries of one request (ids after `afterId`), polled until its `request` line is there or time is up. */
async function logsOfRequest(
  api: ApiClient,
  pulse: string,
  afterId: number,
  requestId: string | null,
): Promise<{ logs: LogEntryWire[]; complete: boolean }> {
  if (!requestId) return { logs: [], complete: true };
  const deadline = Date.now() + LOG_WAIT_MS;
  for (;;) {
    const { logs } = await readLogs(api, pulse, { after: afterId, limit: 1000 });
    const mine = logs.filter((e) => e.requestId === requestId);
    const complete = mine.some((e) => e.level === "request");
    if (complete || Date.now() >= deadline) return { logs: mine, complete };
    await new Promise((r) => setTimeout(r, LOG_POLL_MS));
  }
}

function parseMaybeJson(body: string, contentType: string | null): unknown {
  if (!contentType?.includes("json")) return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
