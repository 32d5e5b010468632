// The live version's static files, answered before run() is called. A version names its manifest by hash
// (platform/static-files.ts), so a manifest never changes: each isolate loads it once and keeps it, with every
// file's response headers built at load time. Paths are looked up exactly among the manifest's keys, which the
// deployer only accepts without "..", "." or empty segments, backslashes or control characters: whatever a
// request's path decodes to, it can only name a file of this version, and bytes are read by the hash the
// manifest holds, never by a path.

import { errorResponse, REQUEST_ID_HEADER } from "../platform/errors.ts";
import {
  cacheControlFor,
  staticBlobKey,
  staticManifestKey,
  type StaticFileEntry,
  type StaticManifest,
} from "../platform/static-files.ts";
import { storageUnavailable } from "../platform/storage-guard.ts";

/** Manifests kept per isolate: each is a few hundred bytes per file, and versions are few per pulse. */
const MAX_CACHED_SITES = 500;
/** Files up to this size are kept in memory once read: small pages, scripts and icons are most requests. */
const MAX_CACHED_FILE_BYTES = 256 * 1024;
/** All kept file bytes together, per isolate (a Worker has 128 MB). */
const MAX_CACHED_BYTES = 16 * 1024 * 1024;

interface ServedFile {
  hash: string;
  size: number;
  etag: string;
  headers: [string, string][];
}

interface StaticSite {
  files: Map<string, ServedFile>;
  index: ServedFile | undefined;
  spa: boolean;
  runPrefix: string | null;
}

const sites = new Map<string, Promise<StaticSite>>();
const fileBytes = new Map<string, Uint8Array>();
let cachedBytes = 0;

const ALLOW_HEADERS: HeadersInit = { allow: "GET, HEAD" };

/**
 * The answer from the version's files, or null when the request belongs to run(): another method, a path
 * under the run() prefix, or (without a prefix) a path that matches no file.
 */
export async function answerFromStaticFiles(
  bucket: R2Bucket,
  manifestHash: string,
  request: Request,
  requestId: string,
): Promise<Response | null> {
  try {
    const site = await siteFor(bucket, manifestHash);
    const rawPath = pathOf(request.url);
    if (site.runPrefix !== null && rawPath.startsWith(site.runPrefix)) return null;
    const method = request.method;
    if (method !== "GET" && method !== "HEAD") {
      if (site.runPrefix === null) return null;
      return errorResponse("method_not_allowed", "Only GET and HEAD reach static files", requestId, ALLOW_HEADERS);
    }
    const file = lookup(site, rawPath) ?? (site.spa && wantsPage(request) ? site.index : undefined);
    if (file) return await respond(bucket, file, request, requestId);
    if (site.runPrefix === null) return null;
    return errorResponse("file_not_found", "No file at this path", requestId);
  } catch (error) {
    console.error(`[${requestId}] static files of manifest ${manifestHash} could not be read:`, error);
    return storageUnavailable(requestId);
  }
}

function siteFor(bucket: R2Bucket, manifestHash: string): Promise<StaticSite> {
  let site = sites.get(manifestHash);
  if (!site) {
    site = loadSite(bucket, manifestHash);
    site.catch(() => sites.delete(manifestHash)); // a failed read is retried by the next request
    sites.set(manifestHash, site);
    if (sites.size > MAX_CACHED_SITES) sites.delete(sites.keys().next().value!);
  }
  return site;
}

async function loadSite(bucket: R2Bucket, manifestHash: string): Promise<StaticSite> {
  const object = await bucket.get(staticManifestKey(manifestHash));
  if (!object) throw new Error(`static manifest ${manifestHash} is missing`);
  const manifest = JSON.parse(await object.text()) as StaticManifest;
  const files = new Map<string, ServedFile>();
  for (const [path, entry] of Object.entries(manifest.files)) files.set(path, servedFile(path, entry));
  return { files, index: files.get("index.html"), spa: manifest.spa, runPrefix: manifest.runPrefix };
}

function servedFile(path: string, entry: StaticFileEntry): ServedFile {
  const etag = `"${entry.hash}"`;
  return {
    hash: entry.hash,
    size: entry.size,
    etag,
    headers: [
      ["content-type", entry.type],
      ["etag", etag],
      ["cache-control", cacheControlFor(path)],
      ["x-content-type-options", "nosniff"],
    ],
  };
}

/** The path of a request URL, undecoded: from the first "/" after the authority to "?" or "#". */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start === -1) return "/";
  let end = url.length;
  const query = url.indexOf("?", start);
  if (query !== -1) end = query;
  const fragment = url.indexOf("#", start);
  if (fragment !== -1 && fragment < end) end = fragment;
  return url.slice(start, end);
}

/** "/" and "/docs/" name their index.html; "/docs" does too when there is no file "docs". */
function lookup(site: StaticSite, rawPath: string): ServedFile | undefined {
  let path: string;
  try {
    path = decodeURIComponent(rawPath.slice(1));
  } catch {
    return undefined; // malformed escapes name no file
  }
  if (path === "" || path.endsWith("/")) return site.files.get(`${path}index.html`);
  return site.files.get(path) ?? site.files.get(`${path}/index.html`);
}

function wantsPage(request: Request): boolean {
  return request.headers.get("accept")?.includes("text/html") ?? false;
}

async function respond(bucket: R2Bucket, file: ServedFile, request: Request, requestId: string): Promise<Response> {
  const headers = new Headers(file.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  if (matchesEtag(request.headers.get("if-none-match"), file.etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(file.size));
  if (request.method === "HEAD") return new Response(null, { status: 200, headers });
  const cached = fileBytes.get(file.hash);
  if (cached) return new Response(cached, { status: 200, headers });
  const object = await bucket.get(staticBlobKey(file.hash));
  if (!object) {
    console.error(`[${requestId}] static file ${file.hash} is missing from the bucket`);
    return storageUnavailable(requestId);
  }
  if (file.size > MAX_CACHED_FILE_BYTES) return new Response(object.body, { status: 200, headers });
  const bytes = new Uint8Array(await object.arrayBuffer());
  keep(file.hash, bytes);
  return new Response(bytes, { status: 200, headers });
}

/** Oldest first out once the byte budget is spent. */
function keep(hash: string, bytes: Uint8Array): void {
  fileBytes.set(hash, bytes);
  cachedBytes += bytes.byteLength;
  while (cachedBytes > MAX_CACHED_BYTES) {
    const [oldest, old] = fileBytes.entries().next().value!;
    fileBytes.delete(oldest);
    cachedBytes -= old.byteLength;
  }
}

/** If-None-Match: "*", or a list of entity tags (weak or strong, compared weakly as RFC 9110 says for GET). */
function matchesEtag(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header.trim() === "*") return true;
  for (const candidate of header.split(",")) {
    const tag = candidate.trim();
    if ((tag.startsWith("W/") ? tag.slice(2) : tag) === etag) return true;
  }
  return false;
}
