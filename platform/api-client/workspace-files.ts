// The files workspace's bytes through the typed client, for the studio, the CLI and the MCP tools alike: its
// read and write routes carry a file's raw bytes, not JSON, so each call says so (Accept and a body passed as
// it is) instead of openapi-fetch's JSON defaults.

import { type ApiClient, bodyOf, BYTES_TYPE } from "./client.ts";
import type { components } from "./schema.gen.ts";

export type WorkspaceFile = components["schemas"]["WorkspaceFile"];

const fileParams = (pulse: string, path: string) => ({ params: { path: { name: pulse, path } } });

/** The file's bytes, exactly as stored. */
export async function readWorkspaceBytes(api: ApiClient, pulse: string, path: string): Promise<Uint8Array> {
  const { data } = await api.GET("/v1/pulses/{name}/files/{path}", {
    ...fileParams(pulse, path),
    headers: { accept: BYTES_TYPE },
    parseAs: "arrayBuffer",
  });
  // openapi-fetch gives no body for an empty file (Content-Length: 0).
  return new Uint8Array((data as ArrayBuffer | undefined) ?? new ArrayBuffer(0));
}

/** Adds or replaces the file with these bytes (any type, binary too). */
export function writeWorkspaceBytes(
  api: ApiClient,
  pulse: string,
  path: string,
  bytes: Uint8Array,
): Promise<WorkspaceFile> {
  return bodyOf(
    api.PUT("/v1/pulses/{name}/files/{path}", {
      ...fileParams(pulse, path),
      headers: { "content-type": BYTES_TYPE },
      body: bytes as never,
      bodySerializer: (body: unknown) => body as BodyInit,
    }),
  );
}

export async function listWorkspace(api: ApiClient, pulse: string): Promise<WorkspaceFile[]> {
  return (await bodyOf(api.GET("/v1/pulses/{name}/files", { params: { path: { name: pulse } } }))).files;
}

export function deleteWorkspaceFile(api: ApiClient, pulse: string, path: string): Promise<{ path: string }> {
  return bodyOf(api.DELETE("/v1/pulses/{name}/files/{path}", fileParams(pulse, path)));
}

export function renameWorkspaceFile(api: ApiClient, pulse: string, from: string, to: string): Promise<WorkspaceFile> {
  return bodyOf(api.POST("/v1/pulses/{name}/files/{path}/rename", { ...fileParams(pulse, from), body: { to } }));
}

export type BuildFromFiles = components["schemas"]["BuildFromFiles"];

/** Builds a version from the workspace (live at once with deploy: true, unless an approval holds it). */
export function buildFromWorkspace(api: ApiClient, pulse: string, options: BuildFromFiles) {
  return bodyOf(
    api.POST("/v1/pulses/{name}/versions/from-files", { params: { path: { name: pulse } }, body: options }),
  );
}
