// Versions: upload (build, store, optionally deploy) and list; deployments: make live, history, rollback.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import {
  CanarySchema,
  DeployResultSchema,
  DeploySchema,
  DeploymentSchema,
  NameParamSchema,
  RollbackSchema,
  UploadResultSchema,
  UploadSchema,
  VersionIdSchema,
  VersionSchema,
} from "../../platform/api-schemas.ts";
import { ManifestDiffSchema } from "../../platform/manifest.ts";
import { ApiError } from "../../platform/errors.ts";
import { MAX_SOURCE_BYTES } from "../../platform/source-rules.ts";
import { MAX_STATIC_TOTAL_BYTES_ANY_PLAN } from "../../platform/static-files.ts";
import { buildVersion, type BuildInput } from "../build/build-version.ts";
import type { ControlApp } from "../context.ts";
import { deployOrHold, type DeployOutcome } from "../deploy/approvals.ts";
import { describeCanary, settleCanaries, startCanary } from "../deploy/canary.ts";
import { loadDeployContext } from "../deploy/context.ts";
import { findOpenCanary, listCanaries } from "../../platform/canary-store.ts";
import { diffWithLive, versionManifest } from "../deploy/manifests.ts";
import {
  findPulse,
  getVersion,
  latestDeployment,
  listDeployments,
  listVersions,
  resolveVersionId,
  type PulseRow,
} from "../store.ts";
import { BEARER, errorResponses, jsonBody, jsonResponse } from "./openapi.ts";

/**
 * JSON escaping can double source size (quotes, newlines), and static files travel base64 (4 bytes per 3);
 * beyond that the body is refused unread. The plan's own static allowance is checked once the body is read.
 */
const MAX_UPLOAD_BODY_BYTES = MAX_SOURCE_BYTES * 2 + Math.ceil((MAX_STATIC_TOTAL_BYTES_ANY_PLAN * 4) / 3) + 256 * 1024;

/** Canaries the deployment history lists, newest first. */
const HISTORY_CANARIES = 50;

const uploadRoute = createRoute({
  method: "post",
  operationId: "uploadVersion",
  path: "/v1/pulses/{name}/versions",
  summary: "Upload source: build a version (and optionally deploy it)",
  description:
    "Bundles the files with the runtime shim using esbuild-wasm inside the control plane. Imports resolve only among the uploaded files. " +
    "Identical source returns the same version id without building or storing anything again. Build errors answer 422 with esbuild's diagnostics.",
  security: BEARER,
  middleware: [
    bodyLimit({
      maxSize: MAX_UPLOAD_BODY_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `Upload bodies are limited to ${MAX_UPLOAD_BODY_BYTES} bytes`);
      },
    }),
  ] as const,
  request: { params: NameParamSchema, body: jsonBody(UploadSchema) },
  responses: {
    201: jsonResponse(UploadResultSchema, "Built and stored (and live, with deploy: true)"),
    202: jsonResponse(UploadResultSchema, "Built and stored; the deploy waits for an admin's approval (see approval)"),
    ...errorResponses(400, 401, 404, 413, 422),
  },
});

const listVersionsRoute = createRoute({
  method: "get",
  operationId: "listVersions",
  path: "/v1/pulses/{name}/versions",
  summary: "List versions, newest first",
  security: BEARER,
  request: { params: NameParamSchema },
  responses: {
    200: jsonResponse(z.object({ versions: z.array(VersionSchema) }), "Versions"),
    ...errorResponses(401, 404),
  },
});

const readVersionRoute = createRoute({
  method: "get",
  operationId: "readVersion",
  path: "/v1/pulses/{name}/versions/{id}",
  summary: "Read a version: its manifest, and what it changes against the live version",
  security: BEARER,
  request: { params: NameParamSchema.extend({ id: VersionIdSchema.openapi({ param: { name: "id", in: "path" } }) }) },
  responses: {
    200: jsonResponse(VersionSchema.extend({ diff: ManifestDiffSchema.nullable() }), "The version"),
    ...errorResponses(400, 401, 404, 409),
  },
});

const deployRoute = createRoute({
  method: "post",
  operationId: "deployVersion",
  path: "/v1/pulses/{name}/deployments",
  summary: "Make a version live, or start it as a canary",
  description:
    "An atomic switch of the active version: the previous one serves until this returns. With `canary`, the version " +
    "takes that percent of end users' clients instead (sticky per client), and the platform promotes it after the " +
    "window or rolls it back when its error rate or p99 is measurably worse (docs/canary.md). Refusals: 400 " +
    "canary_without_live_version, canary_is_live; 409 canary_needs_approval, canary_live_changed.",
  security: BEARER,
  request: { params: NameParamSchema, body: jsonBody(DeploySchema) },
  responses: {
    200: jsonResponse(DeployResultSchema, "Live"),
    202: jsonResponse(DeployResultSchema, "Waits for an admin's approval"),
    ...errorResponses(400, 401, 404, 409),
  },
});

const listDeploymentsRoute = createRoute({
  method: "get",
  operationId: "listDeployments",
  path: "/v1/pulses/{name}/deployments",
  summary: "Deployment history, newest first",
  security: BEARER,
  request: { params: NameParamSchema },
  responses: {
    200: jsonResponse(
      z.object({
        deployments: z.array(DeploymentSchema),
        canaries: z.array(CanarySchema).openapi({ description: "Canaries, newest first, with why each was decided" }),
      }),
      "History",
    ),
    ...errorResponses(401, 404),
  },
});

const canaryRoute = createRoute({
  method: "get",
  operationId: "readCanary",
  path: "/v1/pulses/{name}/canary",
  summary: "The pulse's latest canary: open (with its figures so far) or how it was decided",
  description: "Figures counted in the data plane are flushed and open canaries settled first.",
  security: BEARER,
  request: { params: NameParamSchema },
  responses: {
    200: jsonResponse(z.object({ canary: CanarySchema.nullable() }), "The latest canary, null when there was none"),
    ...errorResponses(401, 404),
  },
});

const rollbackRoute = createRoute({
  method: "post",
  operationId: "rollback",
  path: "/v1/pulses/{name}/rollback",
  summary: "Roll back to the previous version, or to a named one",
  security: BEARER,
  request: { params: NameParamSchema, body: { ...jsonBody(RollbackSchema), required: false } },
  responses: {
    200: jsonResponse(DeployResultSchema, "Rolled back"),
    202: jsonResponse(DeployResultSchema, "Waits for an admin's approval"),
    ...errorResponses(400, 401, 404, 409),
  },
});

export function registerVersionRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(uploadRoute, async (c) => {
    const principal = c.get("principal");
    const pulse = await findPulse(c.env.DB, principal, c.req.valid("param").name);
    const { files, main, deploy, staticFiles, keepStaticFiles } = c.req.valid("json");
    const statics = { ...(staticFiles ? { staticFiles } : {}), ...(keepStaticFiles ? { keepStaticFiles } : {}) };
    return buildAndAnswer(c, pulse, { files, main, ...statics }, deploy ?? false);
  });

  app.openapi(readVersionRoute, async (c) => {
    const { name, id } = c.req.valid("param");
    const pulse = await findPulse(c.env.DB, c.get("principal"), name);
    const version = await getVersion(c.env.DB, pulse, await resolveVersionId(c.env.DB, pulse, id));
    const manifest = version.manifest ?? (await versionManifest(c.env, pulse.id, version.id));
    return c.json({ ...version, manifest, diff: manifest ? await diffWithLive(c.env, pulse, manifest) : null }, 200);
  });

  app.openapi(listVersionsRoute, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    return c.json({ versions: await listVersions(c.env.DB, pulse) }, 200);
  });

  app.openapi(deployRoute, async (c) => {
    const principal = c.get("principal");
    const pulse = await findPulse(c.env.DB, principal, c.req.valid("param").name);
    const body = c.req.valid("json");
    const versionId = await resolveVersionId(c.env.DB, pulse, body.versionId);
    const ctx = await loadDeployContext(c.env, pulse);
    if (body.canary !== undefined) {
      const canary = await describeCanary(c.env, await startCanary(ctx, versionId, body.canary, principal));
      return c.json({ deployment: null, changed: false, approval: null, canary }, 200);
    }
    return answerDeploy(c, await deployOrHold(ctx, versionId, "deploy", principal));
  });

  app.openapi(listDeploymentsRoute, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    const canaries = await listCanaries(c.env.DB, pulse.id, HISTORY_CANARIES);
    return c.json(
      {
        deployments: await listDeployments(c.env.DB, pulse),
        canaries: await Promise.all(canaries.map((record) => describeCanary(c.env, record))),
      },
      200,
    );
  });

  app.openapi(canaryRoute, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    const open = await findOpenCanary(c.env.DB, pulse.id);
    if (open) await settleCanaries(c.env, new Set([open.id]));
    const [latest] = await listCanaries(c.env.DB, pulse.id, 1);
    return c.json({ canary: latest ? await describeCanary(c.env, latest) : null }, 200);
  });

  app.openapi(rollbackRoute, async (c) => {
    const principal = c.get("principal");
    const pulse = await findPulse(c.env.DB, principal, c.req.valid("param").name);
    // The body is optional: without one (no JSON content type), roll back to the previous version.
    const requested = (c.req.valid("json") as { versionId?: string } | undefined)?.versionId;
    let target: string;
    if (requested) {
      target = await resolveVersionId(c.env.DB, pulse, requested);
    } else {
      // The version that was live before the current deployment.
      const previous = (await latestDeployment(c.env.DB, pulse.id))?.previousVersionId;
      if (!previous)
        throw new ApiError("no_previous_version", `Pulse "${pulse.name}" has no earlier version to roll back to`);
      target = previous;
    }
    return answerDeploy(c, await deployOrHold(await loadDeployContext(c.env, pulse), target, "rollback", principal));
  });
}

/** Builds a version from an upload (or a workspace) and, when asked, makes it live: 201, or 202 when held. */
export async function buildAndAnswer(
  c: Context<ControlApp>,
  pulse: PulseRow,
  upload: Pick<BuildInput, "files" | "main" | "staticFiles" | "keepStaticFiles">,
  deploy: boolean,
) {
  const principal = c.get("principal");
  const built = await buildVersion(c.env.DB, c.env.BUNDLES, { pulseId: pulse.id, createdBy: principal.sub, ...upload });
  const outcome = deploy
    ? await deployOrHold(await loadDeployContext(c.env, pulse), built.versionId, "deploy", principal, built.manifest)
    : { deployment: null, diff: await diffWithLive(c.env, pulse, built.manifest), approval: null };
  const live = outcome.deployment ? built.versionId : pulse.active_version_id;
  const version = await getVersion(c.env.DB, { ...pulse, active_version_id: live }, built.versionId);
  const { deployment, diff, approval } = outcome;
  const body = { version, buildMs: built.buildMs, reused: built.reused, deployment, diff, approval };
  return approval ? c.json(body, 202) : c.json(body, 201);
}

/** 200 when the switch happened (or nothing changed), 202 when it waits for an admin. */
function answerDeploy(c: Context<ControlApp>, outcome: DeployOutcome) {
  return outcome.approval ? c.json(outcome, 202) : c.json(outcome, 200);
}
