// A version's source as it was uploaded (kept beside the bundle by platform/source-store.ts): the studio's
// editor opens the live version with it.

import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { VersionParamSchema, VersionSourceSchema } from "../../platform/api-schemas.ts";
import { ApiError } from "../../platform/errors.ts";
import { getSources } from "../../platform/source-store.ts";
import type { ControlApp } from "../context.ts";
import { findPulse, resolveVersionId } from "../store.ts";
import { BEARER, errorResponses, jsonResponse } from "./openapi.ts";

const sourceRoute = createRoute({
  method: "get",
  operationId: "readVersionSource",
  path: "/v1/pulses/{name}/versions/{version}/source",
  summary: "A version's source files, as uploaded",
  description:
    "The version may be named by a unique prefix of 7+ characters. Versions built before sources were kept answer 404 source_not_found.",
  security: BEARER,
  request: { params: VersionParamSchema },
  responses: { 200: jsonResponse(VersionSourceSchema, "The source"), ...errorResponses(400, 401, 404, 409) },
});

export function registerVersionSourceRoute(app: OpenAPIHono<ControlApp>): void {
  app.openapi(sourceRoute, async (c) => {
    const { name, version } = c.req.valid("param");
    const pulse = await findPulse(c.env.DB, c.get("principal"), name);
    const versionId = await resolveVersionId(c.env.DB, pulse, version);
    const sourceHash = await c.env.DB.prepare(`SELECT source_hash FROM versions WHERE pulse_id = ?1 AND id = ?2`)
      .bind(pulse.id, versionId)
      .first<string | null>("source_hash");
    const source = await getSources(c.env.BUNDLES, sourceHash);
    if (!source)
      throw new ApiError(
        "source_not_found",
        `The source of version ${versionId.slice(0, 12)} was not kept (it was built before sources were stored)`,
      );
    return c.json({ versionId, main: source.main, files: source.files }, 200);
  });
}
