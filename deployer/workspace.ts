// A pulse's files workspace: a draft edited one file at a time (add, replace, rename, delete; text or binary),
// then built into a version. Rows in workspace_files name each path's bytes, stored once by SHA-256 in the
// bundle bucket. Building reads the draft as an upload: files under public/ are the version's static files,
// the others its source (UTF-8 text).

import { ApiError } from "../platform/errors.ts";
import type { PlatformDb } from "../platform/registry.ts";
import { MAX_FILES } from "../platform/source-rules.ts";
import {
  MAX_STATIC_FILE_BYTES,
  MAX_STATIC_FILES_ANY_PLAN,
  sha256Hex,
  staticBlobKey,
  staticPathProblem,
  toBase64,
} from "../platform/static-files.ts";
import type { StaticUpload } from "./build/static-files.ts";

/** Files of a draft: every source file and every static file a version can hold. */
export const MAX_WORKSPACE_FILES = MAX_FILES + MAX_STATIC_FILES_ANY_PLAN;
/** One file's bytes: the largest static file (source files are far smaller, checked at build). */
export const MAX_WORKSPACE_FILE_BYTES = MAX_STATIC_FILE_BYTES;
/** The folder of the draft whose files become static files. */
export const WORKSPACE_STATIC_DIR = "public/";

export interface WorkspaceFile {
  path: string;
  size: number;
  hash: string;
  updatedAt: string;
}

interface Row {
  path: string;
  size: number;
  hash: string;
  updated_at: number;
}

const toFile = (r: Row): WorkspaceFile => ({
  path: r.path,
  size: r.size,
  hash: r.hash,
  updatedAt: new Date(r.updated_at).toISOString(),
});

export function checkWorkspacePath(path: string): void {
  const problem = staticPathProblem(path);
  if (problem) throw new ApiError("invalid_request", `${path}: ${problem}`);
}

export async function listWorkspace(db: PlatformDb, pulseId: string): Promise<WorkspaceFile[]> {
  const { results } = await db
    .prepare(`SELECT path, size, hash, updated_at FROM workspace_files WHERE pulse_id = ?1 ORDER BY path`)
    .bind(pulseId)
    .all<Row>();
  return results.map(toFile);
}

async function findRow(db: PlatformDb, pulseId: string, path: string): Promise<Row> {
  const row = await db
    .prepare(`SELECT path, size, hash, updated_at FROM workspace_files WHERE pulse_id = ?1 AND path = ?2`)
    .bind(pulseId, path)
    .first<Row>();
  if (!row) throw new ApiError("file_not_found", `The workspace has no file ${path}`);
  return row;
}

/** The file's bytes. */
export async function readWorkspaceFile(
  db: PlatformDb,
  bucket: R2Bucket,
  pulseId: string,
  path: string,
): Promise<{ file: WorkspaceFile; body: ReadableStream }> {
  const row = await findRow(db, pulseId, path);
  const object = await bucket.get(staticBlobKey(row.hash));
  if (!object) throw new Error(`workspace file ${row.hash} is missing`);
  return { file: toFile(row), body: object.body };
}

/** Adds or replaces a file: its bytes first (once per content), then the row that names them. */
export async function writeWorkspaceFile(
  db: PlatformDb,
  bucket: R2Bucket,
  pulseId: string,
  path: string,
  bytes: Uint8Array,
): Promise<WorkspaceFile> {
  checkWorkspacePath(path);
  if (bytes.byteLength > MAX_WORKSPACE_FILE_BYTES)
    throw new ApiError("payload_too_large", `A workspace file may have at most ${MAX_WORKSPACE_FILE_BYTES} bytes`);
  const count = await db
    .prepare(`SELECT count(*) AS n FROM workspace_files WHERE pulse_id = ?1 AND path != ?2`)
    .bind(pulseId, path)
    .first<number>("n");
  if ((count ?? 0) >= MAX_WORKSPACE_FILES)
    throw new ApiError("plan_limit_reached", `A workspace holds at most ${MAX_WORKSPACE_FILES} files`);
  const hash = await sha256Hex(bytes);
  const key = staticBlobKey(hash);
  if (!(await bucket.head(key))) await bucket.put(key, bytes);
  const row: Row = { path, size: bytes.byteLength, hash, updated_at: Date.now() };
  await db
    .prepare(
      `INSERT INTO workspace_files (pulse_id, path, hash, size, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (pulse_id, path) DO UPDATE SET hash = ?3, size = ?4, updated_at = ?5`,
    )
    .bind(pulseId, path, hash, row.size, row.updated_at)
    .run();
  return toFile(row);
}

export async function deleteWorkspaceFile(db: PlatformDb, pulseId: string, path: string): Promise<void> {
  await findRow(db, pulseId, path);
  await db.prepare(`DELETE FROM workspace_files WHERE pulse_id = ?1 AND path = ?2`).bind(pulseId, path).run();
}

/** Moves a file to a new path (replacing what was there) in one statement: the bytes stay where they are. */
export async function renameWorkspaceFile(
  db: PlatformDb,
  pulseId: string,
  from: string,
  to: string,
): Promise<WorkspaceFile> {
  checkWorkspacePath(to);
  const row = await findRow(db, pulseId, from);
  if (from === to) return toFile(row);
  const updatedAt = Date.now();
  await db.batch([
    db.prepare(`DELETE FROM workspace_files WHERE pulse_id = ?1 AND path = ?2`).bind(pulseId, to),
    db
      .prepare(`UPDATE workspace_files SET path = ?3, updated_at = ?4 WHERE pulse_id = ?1 AND path = ?2`)
      .bind(pulseId, from, to, updatedAt),
  ]);
  return toFile({ ...row, path: to, updated_at: updatedAt });
}

/** The draft as an upload: source files (text) and, from public/, static files. */
export async function workspaceUpload(
  db: PlatformDb,
  bucket: R2Bucket,
  pulseId: string,
): Promise<{ files: Record<string, string>; staticFiles: StaticUpload["files"] }> {
  const files: Record<string, string> = {};
  const staticFiles: StaticUpload["files"] = {};
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  for (const file of await listWorkspace(db, pulseId)) {
    const object = await bucket.get(staticBlobKey(file.hash));
    if (!object) throw new Error(`workspace file ${file.hash} is missing`);
    const bytes = new Uint8Array(await object.arrayBuffer());
    if (file.path.startsWith(WORKSPACE_STATIC_DIR)) {
      staticFiles[file.path.slice(WORKSPACE_STATIC_DIR.length)] = toBase64(bytes);
      continue;
    }
    try {
      files[file.path] = decoder.decode(bytes);
    } catch {
      throw new ApiError("source_invalid", `${file.path} is not UTF-8 text: binary files belong under public/`, [
        { file: file.path, text: "not UTF-8 text" },
      ]);
    }
  }
  return { files, staticFiles };
}
