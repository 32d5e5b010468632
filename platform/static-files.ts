// Static files of a version (a project's public/ folder): what a file name may be, what limits apply, how each
// file is typed and cached, and the manifest that says which bytes a version serves at which path. Pure: the
// deployer checks uploads with it, the dispatcher serves with it, the CLI can check before uploading.

import { contentHash } from "./bundle-store.ts";

/**
 * 5 MiB per file: pages, scripts, styles, fonts and images fit; video and large downloads belong in a bucket of
 * their own. Files travel base64 in the upload's JSON body, through a deployer Worker with 128 MB of memory.
 */
export const MAX_STATIC_FILE_BYTES = 5 * 1024 * 1024;
/** Bytes of a file's path (UTF-8): Cloudflare's asset paths and R2 keys stay far below their own limits. */
export const MAX_STATIC_PATH_BYTES = 512;
/**
 * The most any plan may allow in all (admin API bound): the whole set is decoded in one request of the
 * deployer (base64 body ~27 MiB plus the decoded bytes, under its 128 MB with room for the build).
 */
export const MAX_STATIC_TOTAL_BYTES_ANY_PLAN = 20 * 1024 * 1024;
/** Files per version any plan may allow: each is one manifest entry kept in the dispatcher's memory. */
export const MAX_STATIC_FILES_ANY_PLAN = 5000;
/** Plans without the fields (written before static files) allow what free allows. */
export const DEFAULT_STATIC_FILES = 200;
export const DEFAULT_STATIC_TOTAL_BYTES = 5 * 1024 * 1024;
/** Bytes of the optional path prefix that alone reaches run(). */
const MAX_RUN_PREFIX_BYTES = 128;

/** A year, the longest max-age caches honour: for names that change whenever their content does. */
export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";
/** Every other file: browsers keep it but ask again each time (a 304 when unchanged, via the ETag). */
export const REVALIDATE_CACHE_CONTROL = "public, no-cache";

export interface StaticFileEntry {
  /** SHA-256 of the bytes, hex: the storage key and the ETag. */
  hash: string;
  size: number;
  /** Content-Type header value. */
  type: string;
}

/** Which bytes a version serves at which path, and how requests that match no file are answered. */
export interface StaticManifest {
  /** Path without a leading slash ("index.html", "assets/app-3f2a9c1d.js") -> file. */
  files: Record<string, StaticFileEntry>;
  /** A GET for a page (Accept: text/html) that matches no file is answered with index.html. */
  spa: boolean;
  /** Set: only paths under it reach run(); everything else is files (404 when none matches). */
  runPrefix: string | null;
}

/** The options a developer sets beside the files. */
export interface StaticOptions {
  spa?: boolean;
  runPrefix?: string;
}

/**
 * A file's path: relative POSIX, no empty, "." or ".." segment, no backslash, no control character (NUL
 * included). Other characters (spaces, non-ASCII) are allowed: paths are matched exactly, never joined onto a
 * file system.
 */
export function staticPathProblem(path: string): string | null {
  if (path.length === 0) return "empty file name";
  if (new TextEncoder().encode(path).byteLength > MAX_STATIC_PATH_BYTES)
    return `file name is longer than ${MAX_STATIC_PATH_BYTES} bytes`;
  if (path.includes("\\")) return "file names use forward slashes only";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here.
  if (/[\u0000-\u001f\u007f]/.test(path)) return "file names may not contain control characters";
  if (path.startsWith("/")) return "file names are relative (no leading /)";
  for (const segment of path.split("/")) {
    if (segment === "" || segment === "." || segment === "..")
      return `file name has an empty, "." or ".." segment (path traversal is refused)`;
  }
  return null;
}

/** The run() prefix: an absolute path ending in "/" ("/api/"), of plain characters. */
export function runPrefixProblem(prefix: string): string | null {
  if (!/^\/([A-Za-z0-9._~-]+\/)+$/.test(prefix)) return 'the run() prefix is a path like "/api/" (ending with /)';
  if (prefix.split("/").some((s) => s === "." || s === "..")) return 'the run() prefix has a "." or ".." segment';
  if (prefix.length > MAX_RUN_PREFIX_BYTES) return `the run() prefix is longer than ${MAX_RUN_PREFIX_BYTES} bytes`;
  return null;
}

const TEXT = "; charset=utf-8";
/** Extension -> Content-Type. Lookups go through Object.hasOwn: extensions come from user file names. */
const CONTENT_TYPES: Record<string, string> = {
  html: `text/html${TEXT}`,
  htm: `text/html${TEXT}`,
  css: `text/css${TEXT}`,
  js: `text/javascript${TEXT}`,
  mjs: `text/javascript${TEXT}`,
  json: `application/json${TEXT}`,
  map: `application/json${TEXT}`,
  webmanifest: `application/manifest+json${TEXT}`,
  txt: `text/plain${TEXT}`,
  md: `text/markdown${TEXT}`,
  csv: `text/csv${TEXT}`,
  xml: `application/xml${TEXT}`,
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  ico: "image/x-icon",
  woff: "font/woff",
  woff2: "font/woff2",
  ttf: "font/ttf",
  otf: "font/otf",
  wasm: "application/wasm",
  pdf: "application/pdf",
  mp3: "audio/mpeg",
  mp4: "video/mp4",
  webm: "video/webm",
  zip: "application/zip",
};
/** Unknown types are served as bytes (with nosniff): never guessed as HTML or script by the browser. */
export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

export function contentTypeFor(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return DEFAULT_CONTENT_TYPE;
  const ext = name.slice(dot + 1).toLowerCase();
  return Object.hasOwn(CONTENT_TYPES, ext) ? CONTENT_TYPES[ext]! : DEFAULT_CONTENT_TYPE;
}

/**
 * A name that carries a content hash (bundlers write them so a new build gets a new name): a part of 8+ hex
 * characters ("app.3f2a9c1d.js", "chunk-0a1b2c3d4e.css"), or the 8-character base64url part Vite and Rollup
 * write by default after a name ("index-BtF3x9aQ.js") when it mixes digits, upper and lower case. A plain word never
 * qualifies ("main-component.js"), so a file that may change under its name is never cached for a year.
 */
export function hasContentHashInName(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  const parts = (dot > 0 ? name.slice(0, dot) : name).split(/[.-]/);
  return parts.some(
    (part, i) =>
      (/^[0-9a-f]{8,64}$/.test(part) && /[0-9]/.test(part) && /[a-f]/.test(part)) ||
      (i > 0 && /^[A-Za-z0-9_]{8}$/.test(part) && /[0-9]/.test(part) && /[A-Z]/.test(part) && /[a-z]/.test(part)),
  );
}

export function cacheControlFor(path: string): string {
  return hasContentHashInName(path) ? IMMUTABLE_CACHE_CONTROL : REVALIDATE_CACHE_CONTROL;
}

/** Workers static assets' "config" (wrangler's "assets", a script's metadata.assets.config). */
export interface WorkersAssetsConfig {
  not_found_handling?: "single-page-application" | "404-page";
  run_worker_first?: string[];
}

/**
 * The same answers on Workers static assets: files first and the Worker for the rest; a single-page app's
 * pages fall back to index.html; with a run() prefix, only that prefix runs the Worker first, and a path
 * outside it that matches no file is a 404.
 * https://developers.cloudflare.com/workers/static-assets/binding/
 */
export function workersAssetsConfig(manifest: StaticManifest): WorkersAssetsConfig {
  const config: WorkersAssetsConfig = {};
  if (manifest.spa) config.not_found_handling = "single-page-application";
  else if (manifest.runPrefix) config.not_found_handling = "404-page";
  if (manifest.runPrefix) config.run_worker_first = [`${manifest.runPrefix}*`];
  return config;
}

/** The manifest's own hash: what a version records, and the key its JSON is stored under. */
export async function staticManifestHash(manifest: StaticManifest): Promise<string> {
  const files = Object.keys(manifest.files)
    .sort()
    .map((path) => [path, manifest.files[path]!.hash, manifest.files[path]!.size, manifest.files[path]!.type]);
  return contentHash(JSON.stringify({ files, spa: manifest.spa, runPrefix: manifest.runPrefix }));
}

/** The bytes a version's static file points at, stored once whatever the pulse (content-addressed). */
export function staticBlobKey(hash: string): string {
  return `static/blobs/${hash}`;
}

export function staticManifestKey(manifestHash: string): string {
  return `static/manifests/${manifestHash}.json`;
}

/** A SHA-256 hex digest of bytes. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // Bytes here come from decoding or encoding, never from a SharedArrayBuffer.
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/** Base64 of bytes, in chunks (a spread of a large array would overflow the call stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
