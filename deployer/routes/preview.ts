// Shadow replay before promote: the pulse's recorded invocations replayed against one of its versions in an
// isolated run (throwaway copies of its KV and SQL, egress answered from the recordings), compared with what
// the live version answered, with the plan's limits marked. Runs in the data plane, which holds the loader,
// the storage and the recordings; the control plane checks who may ask.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { VersionParamSchema } from "../../platform/api-schemas.ts";
import { ApiError } from "../../platform/errors.ts";
import { PreviewReportSchema, PreviewRequestSchema } from "../../platform/preview-report.ts";
import type { ControlApp } from "../context.ts";
import { findPulse, resolveVersionId } from "../store.ts";
import { BEARER, errorResponses, jsonBody, jsonResponse } from "./openapi.ts";

const previewRoute = createRoute({
  method: "post",
  operationId: "previewVersion",
  path: "/v1/pulses/{name}/versions/{version}/preview",
  summary: "Replay recent invocations against a version before making it live",
  description:
    "Replays the pulse's last N recorded invocations (plan replayInvocations) against the version, in order, with its own throwaway copies of " +
    "the pulse's KV and SQL; its outgoing requests are answered with the live version's recorded answers or refused (replay_egress_unrecorded), " +
    "never sent. Answers per input: live and candidate status and body, a diff, errors, wall time, subrequests and KV operations, and the plan's " +
    "limits the candidate would exceed. The live pulse's data is not touched.",
  security: BEARER,
  request: {
    params: VersionParamSchema,
    body: { ...jsonBody(PreviewRequestSchema), required: false },
  },
  responses: {
    200: jsonResponse(PreviewReportSchema, "The replay, input by input, and its summary"),
    ...errorResponses(400, 401, 404, 409),
  },
});

export function registerPreviewRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(previewRoute, async (c) => {
    const { name, version } = c.req.valid("param");
    const pulse = await findPulse(c.env.DB, c.get("principal"), name);
    const versionId = await resolveVersionId(c.env.DB, pulse, version);
    if (!c.env.ROUTES) throw new ApiError("platform_unavailable", "Previews are not reachable from this control plane");
    const options = (c.req.valid("json") as z.infer<typeof PreviewRequestSchema> | undefined) ?? {};
    const outcome = await c.env.ROUTES.preview({
      pulseId: pulse.id,
      pulseName: pulse.name,
      versionId,
      ...(options.inputs ? { inputs: options.inputs } : {}),
    });
    if (!outcome.ok) throw new ApiError(outcome.code, outcome.message);
    return c.json(outcome.report, 200);
  });
}
