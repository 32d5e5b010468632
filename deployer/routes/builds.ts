// Server-side builds: POST /v1/pulses/{name}/builds runs install (and tests) and the bundling of a project
// with npm dependencies in a Sandbox container, streaming its output as JSON lines; the bundle then goes
// through the normal build (shim, checks, versioning) and, with deploy: true, live. Cloudflare only.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { NameParamSchema, SandboxBuildSchema } from "../../platform/api-schemas.ts";
import { deployOrHold } from "../deploy/approvals.ts";
import { loadDeployContext } from "../deploy/context.ts";
import { buildVersion } from "../build/build-version.ts";
import { openBuildSandbox } from "../build/sandbox-factory.ts";
import { buildInSandbox, streamBuild } from "../build/sandbox-builder.ts";
import type { ControlApp } from "../context.ts";
import { findPulse } from "../store.ts";
import { BEARER, errorResponses, jsonBody } from "./openapi.ts";

const BUNDLE_FILE = "index.js";

const buildRoute = createRoute({
  method: "post",
  operationId: "buildPulse",
  path: "/v1/pulses/{name}/builds",
  summary: "Build in a sandbox (npm install, tests, bundling), then version and optionally deploy",
  description:
    "Answers application/x-ndjson: one {type:'output', step, stream, data} line per output chunk as the build runs, then one " +
    "{type:'result', ok, ...} line (versionId, deployed and any approval it waits for on success; step, reason, exitCode and output on failure). 501 sandbox_unavailable where containers are not configured.",
  security: BEARER,
  request: { params: NameParamSchema, body: jsonBody(SandboxBuildSchema) },
  responses: {
    200: {
      content: { "application/x-ndjson": { schema: z.string() } },
      description: "The build's output, then its result",
    },
    ...errorResponses(400, 401, 404),
  },
});

export function registerBuildRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(buildRoute, async (c) => {
    const principal = c.get("principal");
    const pulse = await findPulse(c.env.DB, principal, c.req.valid("param").name);
    const { files, main, deploy, runTests } = c.req.valid("json");
    const sandbox = openBuildSandbox(c.env);
    const stream = streamBuild(
      (onOutput) => buildInSandbox(sandbox, { files, main, runTests }, { onOutput }),
      async (result) => {
        if (!result.ok) return undefined;
        const built = await buildVersion(c.env.DB, c.env.BUNDLES, {
          pulseId: pulse.id,
          files: { [BUNDLE_FILE]: result.code },
          main: BUNDLE_FILE,
          createdBy: principal.sub,
        });
        if (!deploy) return { versionId: built.versionId, deployed: false };
        // The same path as an upload with deploy: true, so deploy approvals hold a sandbox build too.
        const ctx = await loadDeployContext(c.env, pulse);
        const outcome = await deployOrHold(ctx, built.versionId, "deploy", principal, built.manifest);
        return {
          versionId: built.versionId,
          deployed: outcome.deployment !== null,
          ...(outcome.approval ? { approval: outcome.approval } : {}),
        };
      },
    );
    return new Response(stream, {
      status: 200,
      headers: { "content-type": "application/x-ndjson; charset=utf-8" },
    }) as never;
  });
}
