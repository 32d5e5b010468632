// The direct upload of Workers static assets, played from its documented shapes
// (https://developers.cloudflare.com/workers/static-assets/direct-upload/), in front of the fake API: an
// upload session per script (manifest "/path" -> { hash: 32 hex, size }; answer { jwt, buckets }), bucket
// uploads with the session's token as bearer (multipart, a part per hash, base64 content with the file's
// Content-Type, ?base64=true; 202 until the last file, then 201 with the completion token), and a script
// upload whose metadata.assets.jwt must be a completion token of that script. Everything else goes to the
// fake API. Off-contract requests get a 400 envelope, as there.

import { ACCOUNT, envelope, failure, FakeCloudflareApi, NAMESPACE, sdkFetchVia, TOKEN } from "./fake-cloudflare-api.ts";

const PREFIX = "/client/v4";
const ASSET_HASH = /^[0-9a-f]{32}$/;

export interface StoredAsset {
  type: string;
  bytes: Uint8Array;
}

export class FakeCloudflareAssets {
  readonly api = new FakeCloudflareApi();
  /** Every call this layer saw (asset calls and the ones passed on), in order. */
  readonly calls: { method: string; path: string; status: number }[] = [];
  /** Asset hash -> content, as Cloudflare keeps it across scripts. */
  readonly assets = new Map<string, StoredAsset>();
  #sessions = new Map<string, { script: string; sizes: Map<string, number>; pending: Set<string> }>();
  #completions = new Map<string, string>();
  #failNextUpload = false;

  readonly fetch = sdkFetchVia((request) => this.handle(request));

  /** The next bucket upload answers 500 (and stores nothing). */
  failNextUpload(): void {
    this.#failNextUpload = true;
  }

  async handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname.slice(PREFIX.length);
    const response = await this.#answer(request, path);
    this.calls.push({ method: request.method, path, status: response.status });
    return response;
  }

  async #answer(request: Request, path: string): Promise<Response> {
    const scripts = `/accounts/${ACCOUNT}/workers/dispatch/namespaces/${NAMESPACE}/scripts/`;
    const session = /^(.+)\/assets-upload-session$/.exec(path.startsWith(scripts) ? path.slice(scripts.length) : "");
    if (session && request.method === "POST") return this.#startSession(request, decodeURIComponent(session[1]!));
    if (path === `/accounts/${ACCOUNT}/workers/assets/upload` && request.method === "POST")
      return this.#upload(request);
    if (path.startsWith(scripts) && request.method === "PUT") {
      const problem = await this.#assetsProblem(request.clone(), decodeURIComponent(path.slice(scripts.length)));
      if (problem) return failure(400, 10021, problem);
    }
    return this.api.handle(request);
  }

  async #startSession(request: Request, script: string): Promise<Response> {
    if (request.headers.get("authorization") !== `Bearer ${TOKEN}`) return failure(403, 10000, "Authentication error");
    if (!request.headers.get("content-type")?.startsWith("application/json"))
      return failure(400, 10001, "the manifest is JSON");
    const { manifest } = (await request.json()) as { manifest?: Record<string, { hash?: unknown; size?: unknown }> };
    if (!manifest || typeof manifest !== "object") return failure(400, 10021, "manifest is required");
    const sizes = new Map<string, number>();
    for (const [assetPath, entry] of Object.entries(manifest)) {
      if (!assetPath.startsWith("/")) return failure(400, 10021, `manifest path ${assetPath} must start with /`);
      if (typeof entry.hash !== "string" || !ASSET_HASH.test(entry.hash))
        return failure(400, 10021, `hash of ${assetPath} must be 32 hex characters`);
      if (typeof entry.size !== "number" || !Number.isInteger(entry.size) || entry.size < 0)
        return failure(400, 10021, `size of ${assetPath} must be a byte count`);
      sizes.set(entry.hash, entry.size);
    }
    const missing = [...sizes.keys()].filter((hash) => !this.assets.has(hash));
    if (missing.length === 0) return envelope({ jwt: this.#complete(script), buckets: [] });
    const jwt = `upload-${crypto.randomUUID()}`;
    this.#sessions.set(jwt, { script, sizes, pending: new Set(missing) });
    // Buckets of two, so a multi-file upload takes several requests as real ones do.
    const buckets: string[][] = [];
    for (let i = 0; i < missing.length; i += 2) buckets.push(missing.slice(i, i + 2));
    return envelope({ jwt, buckets });
  }

  async #upload(request: Request): Promise<Response> {
    const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
    const session = this.#sessions.get(token);
    if (!session) return failure(401, 10000, "the bearer must be an upload session token");
    if (new URL(request.url).searchParams.get("base64") !== "true")
      return failure(400, 10021, "base64=true is required");
    if (!/^multipart\/form-data;\s*boundary=/.test(request.headers.get("content-type") ?? ""))
      return failure(400, 10001, "uploads are multipart/form-data");
    if (this.#failNextUpload) {
      this.#failNextUpload = false;
      return failure(500, 10013, "internal error");
    }
    for (const [hash, value] of await request.formData()) {
      if (!session.pending.has(hash)) return failure(400, 10021, `${hash} was not asked for`);
      if (typeof value === "string" || !value.type) return failure(400, 10021, `${hash} needs a Content-Type`);
      const bytes = Uint8Array.from(atob(await value.text()), (c) => c.charCodeAt(0));
      if (bytes.byteLength !== session.sizes.get(hash)) return failure(400, 10021, `${hash} has another size`);
      this.assets.set(hash, { type: value.type, bytes });
      session.pending.delete(hash);
    }
    if (session.pending.size > 0) return envelope({ jwt: null }, 202);
    this.#sessions.delete(token);
    return envelope({ jwt: this.#complete(session.script) }, 201);
  }

  #complete(script: string): string {
    const jwt = `completion-${crypto.randomUUID()}`;
    this.#completions.set(jwt, script);
    return jwt;
  }

  /** A script upload with metadata.assets must name a completion token of that script. */
  async #assetsProblem(request: Request, script: string): Promise<string | null> {
    if (!request.headers.get("content-type")?.startsWith("multipart/form-data")) return null;
    const metadata = (await request.formData()).get("metadata");
    if (!metadata || typeof metadata === "string") return null;
    const assets = (JSON.parse(await metadata.text()) as { assets?: { jwt?: unknown } }).assets;
    if (assets === undefined) return null;
    if (typeof assets.jwt !== "string" || this.#completions.get(assets.jwt) !== script)
      return "metadata.assets.jwt is not a completion token for this script";
    return null;
  }
}
