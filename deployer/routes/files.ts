// The files workspace: a draft of a pulse's files, read, written, renamed and deleted one at a time (text or
// binary), and built into a version (deployer/workspace.ts). A file's path is one URL segment, encoded:
// "lib/greet.ts" is lib%2Fgreet.ts, "public/logo.png" is public%2Flogo.png.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { NameParamSchema, UploadResultSchema } from "../../platform/api-schemas.ts";
import { ApiError } from "../../platform/errors.ts";
import { contentTypeFor } from "../../platform/static-files.ts";
import type { ControlApp } from "../context.ts";
import { findPulse } from "../store.ts";
import {
  deleteWorkspaceFile,
  listWorkspace,
  MAX_WORKSPACE_FILE_BYTES,
  readWorkspaceFile,
  renameWorkspaceFile,
  workspaceUpload,
  writeWorkspaceFile,
} from "../workspace.ts";
import { BEARER, errorResponses, jsonBody, jsonResponse } from "./openapi.ts";
import { buildAndAnswer } from "./versions.ts";

const WorkspaceFileSchema = z
  .object({
    path: z.string(),
    size: z.number().int(),
    hash: z.string().openapi({ description: "SHA-256 of the bytes, hex" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("WorkspaceFile");

const FileParamSchema = NameParamSchema.extend({
  path: z.string().openapi({
    param: { name: "path", in: "path" },
    description: "The file's path in the workspace, URL-encoded as one segment (lib%2Fgreet.ts)",
    example: "lib%2Fgreet.ts",
  }),
});

const BINARY = { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } };

const listRoute = createRoute({
  method: "get",
  operationId: "listPulseFiles",
  path: "/v1/pulses/{name}/files",
  summary: "List the files workspace",
  security: BEARER,
  request: { params: NameParamSchema },
  responses: {
    200: jsonResponse(z.object({ files: z.array(WorkspaceFileSchema) }), "Files, by path"),
    ...errorResponses(401, 404),
  },
});

const readRoute = createRoute({
  method: "get",
  operationId: "readPulseFile",
  path: "/v1/pulses/{name}/files/{path}",
  summary: "Read a workspace file (its bytes)",
  security: BEARER,
  request: { params: FileParamSchema },
  responses: { 200: { content: BINARY, description: "The bytes" }, ...errorResponses(401, 404) },
});

const writeRoute = createRoute({
  method: "put",
  operationId: "writePulseFile",
  path: "/v1/pulses/{name}/files/{path}",
  summary: "Add or replace a workspace file",
  description:
    `The body is the file's bytes (any type; at most ${MAX_WORKSPACE_FILE_BYTES} bytes). Files under public/ ` +
    "become static files of the version built from the workspace; the others are its source (UTF-8 text).",
  security: BEARER,
  middleware: [
    bodyLimit({
      maxSize: MAX_WORKSPACE_FILE_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `A workspace file may have at most ${MAX_WORKSPACE_FILE_BYTES} bytes`);
      },
    }),
  ] as const,
  request: { params: FileParamSchema, body: { content: BINARY, required: true } },
  responses: { 200: jsonResponse(WorkspaceFileSchema, "Stored"), ...errorResponses(400, 401, 404, 409, 413) },
});

const deleteRoute = createRoute({
  method: "delete",
  operationId: "deletePulseFile",
  path: "/v1/pulses/{name}/files/{path}",
  summary: "Delete a workspace file",
  security: BEARER,
  request: { params: FileParamSchema },
  responses: {
    200: jsonResponse(z.object({ deleted: z.literal(true), path: z.string() }), "Deleted"),
    ...errorResponses(401, 404),
  },
});

const renameRoute = createRoute({
  method: "post",
  operationId: "renamePulseFile",
  path: "/v1/pulses/{name}/files/{path}/rename",
  summary: "Rename (move) a workspace file; a file already at the new path is replaced",
  security: BEARER,
  request: {
    params: FileParamSchema,
    body: jsonBody(z.object({ to: z.string().min(1).openapi({ example: "lib/hello.ts" }) }).openapi("RenameFile")),
  },
  responses: { 200: jsonResponse(WorkspaceFileSchema, "Renamed"), ...errorResponses(400, 401, 404) },
});

const buildRoute = createRoute({
  method: "post",
  operationId: "uploadVersionFromFiles",
  path: "/v1/pulses/{name}/versions/from-files",
  summary: "Build a version from the files workspace (and optionally deploy it)",
  description:
    "As an upload of the workspace: files under public/ are the static files, the others the source. " +
    "Answers like POST /v1/pulses/{name}/versions.",
  security: BEARER,
  request: {
    params: NameParamSchema,
    body: jsonBody(
      z
        .object({
          main: z.string().min(1).default("index.ts").openapi({ example: "index.ts" }),
          deploy: z.boolean().optional(),
          spa: z.boolean().optional(),
          runPrefix: z.string().optional(),
        })
        .openapi("BuildFromFiles"),
    ),
  },
  responses: {
    201: jsonResponse(UploadResultSchema, "Built and stored (and live, with deploy: true)"),
    202: jsonResponse(UploadResultSchema, "Built and stored; the deploy waits for an admin's approval"),
    ...errorResponses(400, 401, 404, 413, 422),
  },
});

export function registerFileRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(listRoute, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    return c.json({ files: await listWorkspace(c.env.DB, pulse.id) }, 200);
  });

  app.openapi(readRoute, async (c) => {
    const { name, path } = c.req.valid("param");
    const pulse = await findPulse(c.env.DB, c.get("principal"), name);
    const { file, body } = await readWorkspaceFile(c.env.DB, c.env.BUNDLES, pulse.id, path);
    return new Response(body, {
      status: 200,
      headers: {
        "content-type": contentTypeFor(file.path),
        "content-length": String(file.size),
        etag: `"${file.hash}"`,
        "x-content-type-options": "nosniff",
      },
    }) as never;
  });

  app.openapi(writeRoute, async (c) => {
    const { name, path } = c.req.valid("param");
    const pulse = await findPulse(c.env.DB, c.get("principal"), name);
    const bytes = new Uint8Array(await c.req.raw.arrayBuffer());
    return c.json(await writeWorkspaceFile(c.env.DB, c.env.BUNDLES, pulse.id, path, bytes), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { name, path } = c.req.valid("param");
    const pulse = await findPulse(c.env.DB, c.get("principal"), name);
    await deleteWorkspaceFile(c.env.DB, pulse.id, path);
    return c.json({ deleted: true as const, path }, 200);
  });

  app.openapi(renameRoute, async (c) => {
    const { name, path } = c.req.valid("param");
    const pulse = await findPulse(c.env.DB, c.get("principal"), name);
    return c.json(await renameWorkspaceFile(c.env.DB, pulse.id, path, c.req.valid("json").to), 200);
  });

  app.openapi(buildRoute, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    const { main, deploy, spa, runPrefix } = c.req.valid("json");
    const { files, staticFiles } = await workspaceUpload(c.env.DB, c.env.BUNDLES, pulse.id);
    const statics =
      Object.keys(staticFiles).length > 0
        ? {
            staticFiles: {
              files: staticFiles,
              ...(spa !== undefined ? { spa } : {}),
              ...(runPrefix !== undefined ? { runPrefix } : {}),
            },
          }
        : {};
    return buildAndAnswer(c, pulse, { files, main, ...statics }, deploy ?? false);
  });
}
