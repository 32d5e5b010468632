// The Cloudflare API calls of the deployer's Cloudflare backend, through the official `cloudflare` SDK.
// Script uploads are sent the way the API documents them (multipart/form-data: a JSON part named "metadata"
// and one part per module, named by the module, of type application/javascript+module). The SDK's default
// encoding of this call flattens metadata into bracketed form fields and forces a JavaScript content type on
// the form body, so the metadata goes as a JSON file part and the content type is left to the form encoder.
// The SDK retries 408/409/429/5xx with exponential backoff and honours Retry-After.

// Deep imports only: the package's index carries the full client, with every API resource.
import { APIError } from "cloudflare/core/error";
import { toFile } from "cloudflare/core/uploads";
import { BaseDatabase } from "cloudflare/resources/d1/database/database";
import { BaseAssetUpload } from "cloudflare/resources/workers-for-platforms/dispatch/namespaces/scripts/asset-upload";
import { BaseScripts } from "cloudflare/resources/workers-for-platforms/dispatch/namespaces/scripts/scripts";
import { BaseUpload } from "cloudflare/resources/workers/assets/upload";
import { createClient } from "cloudflare/tree-shakable";
import type { ScriptMetadata } from "../../platform/namespace-script.ts";

export const MODULE_CONTENT_TYPE = "application/javascript+module";

export interface CloudflareApiOptions {
  accountId: string;
  apiToken: string;
  /** The Workers for Platforms dispatch namespace pulses are uploaded to. */
  namespace: string;
  /** Tests point this at a local server that plays the API. */
  baseURL?: string;
  fetch?: typeof fetch;
  /** Retries after a 429 or 5xx, with backoff (default 4). */
  maxRetries?: number;
  timeoutMs?: number;
}

/** A refused call, with Cloudflare's own error list (codes and messages) for the logs. */
export class CloudflareApiError extends Error {
  override readonly name = "CloudflareApiError";
  readonly operation: string;
  readonly status: number | undefined;
  readonly errors: { code: number; message: string }[];
  constructor(operation: string, status: number | undefined, errors: { code: number; message: string }[]) {
    super(
      `${operation} failed${status ? ` (HTTP ${status})` : ""}: ${errors.map((e) => `${e.code} ${e.message}`).join("; ") || "no error details"}`,
    );
    this.operation = operation;
    this.status = status;
    this.errors = errors;
  }
}

/**
 * Only the resources these calls use: the full client constructs every API resource of the SDK, which made
 * it the largest part of the deployer's JavaScript (docs/cloudflare.md, "Build and size check").
 */
function apiClient(options: Omit<Parameters<typeof createClient>[0], "resources">) {
  return createClient({ ...options, resources: [BaseScripts, BaseAssetUpload, BaseUpload, BaseDatabase] });
}

export class CloudflareApi {
  readonly #client: ReturnType<typeof apiClient>;
  readonly #accountId: string;
  readonly #namespace: string;

  constructor(options: CloudflareApiOptions) {
    for (const key of ["accountId", "apiToken", "namespace"] as const) {
      if (!options[key]) throw new Error(`CloudflareApi needs ${key}`);
    }
    this.#accountId = options.accountId;
    this.#namespace = options.namespace;
    this.#client = apiClient({
      apiToken: options.apiToken,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      maxRetries: options.maxRetries ?? 4,
      timeout: options.timeoutMs ?? 60_000,
    });
  }

  /** PUT .../workers/dispatch/namespaces/{ns}/scripts/{name}: creates or replaces the script. */
  async uploadScript(name: string, metadata: ScriptMetadata, modules: Record<string, string>): Promise<void> {
    if (!(metadata.main_module in modules))
      throw new Error(`main module ${metadata.main_module} is not among the modules`);
    const parts: Record<string, unknown> = {
      metadata: await toFile(new TextEncoder().encode(JSON.stringify(metadata)), "metadata.json", {
        type: "application/json",
      }),
    };
    for (const [file, code] of Object.entries(modules)) {
      parts[file] = await toFile(new TextEncoder().encode(code), file, { type: MODULE_CONTENT_TYPE });
    }
    await this.#call("script upload", () =>
      this.#client.workersForPlatforms.dispatch.namespaces.scripts.update(
        name,
        { account_id: this.#accountId, dispatch_namespace: this.#namespace, ...parts } as never,
        // null removes the SDK's forced application/javascript so the form encoder sets multipart + boundary.
        { headers: { "content-type": null } },
      ),
    );
  }

  /**
   * POST .../workers/dispatch/namespaces/{ns}/scripts/{name}/assets-upload-session: registers the script's asset
   * manifest ("/path" -> { hash, size }); Cloudflare answers with an upload token and the hashes it does not
   * have yet, in buckets (none: the token is already the completion token).
   * https://developers.cloudflare.com/workers/static-assets/direct-upload/
   */
  async startAssetUpload(
    scriptName: string,
    manifest: Record<string, { hash: string; size: number }>,
  ): Promise<{ jwt: string; buckets: string[][] }> {
    const session = await this.#call("assets upload session", () =>
      this.#client.workersForPlatforms.dispatch.namespaces.scripts.assetUpload.create(scriptName, {
        account_id: this.#accountId,
        dispatch_namespace: this.#namespace,
        manifest,
      }),
    );
    if (!session?.jwt)
      throw new CloudflareApiError("assets upload session", undefined, [{ code: 0, message: "no upload token" }]);
    return { jwt: session.jwt, buckets: session.buckets ?? [] };
  }

  /**
   * POST .../workers/assets/upload?base64=true with the session's upload token as the bearer: one bucket of
   * files, a multipart part per file named by its hash, its content base64, its type the Content-Type the file
   * is later served with. The answer to the last bucket carries the completion token.
   */
  async uploadAssetBucket(
    uploadToken: string,
    files: { hash: string; base64: string; type: string }[],
  ): Promise<string | undefined> {
    const body: Record<string, unknown> = {};
    for (const file of files) {
      body[file.hash] = await toFile(new TextEncoder().encode(file.base64), file.hash, { type: file.type });
    }
    const answer = await this.#call("assets upload", () =>
      this.#client.workers.assets.upload.create(
        { account_id: this.#accountId, base64: true, body: body as Record<string, string> },
        { headers: { authorization: `Bearer ${uploadToken}` } },
      ),
    );
    return answer?.jwt ?? undefined;
  }

  /** POST .../d1/database: a new D1 database; returns its id. */
  async createDatabase(name: string): Promise<string> {
    const created = await this.#call("D1 create", () =>
      this.#client.d1.database.create({ account_id: this.#accountId, name }),
    );
    if (!created?.uuid)
      throw new CloudflareApiError("D1 create", undefined, [{ code: 0, message: "the answer carried no database id" }]);
    return created.uuid;
  }

  /** GET .../d1/database?name=: the id of the database with exactly this name, if there is one (first page). */
  async findDatabase(name: string): Promise<string | undefined> {
    const page = await this.#call("D1 list", () =>
      this.#client.d1.database.list({ account_id: this.#accountId, name, per_page: 100 }),
    );
    return page?.result.find((d) => d.name === name)?.uuid;
  }

  /** DELETE .../d1/database/{id}. A database already gone counts as deleted. */
  async deleteDatabase(databaseId: string): Promise<void> {
    await this.#call("D1 delete", () => this.#client.d1.database.delete(databaseId, { account_id: this.#accountId }), {
      missingIsDone: true,
    });
  }

  /**
   * DELETE .../workers/dispatch/namespaces/{ns}/scripts/{name}, without `force` (nothing binds to a pulse's
   * script). A script already gone counts as deleted, so a retry after a lost answer succeeds.
   * https://developers.cloudflare.com/api/go/resources/workers_for_platforms/subresources/dispatch ("Delete Worker")
   */
  async deleteScript(name: string): Promise<void> {
    await this.#call(
      "script delete",
      () =>
        this.#client.workersForPlatforms.dispatch.namespaces.scripts.delete(name, {
          account_id: this.#accountId,
          dispatch_namespace: this.#namespace,
        }),
      { missingIsDone: true },
    );
  }

  /**
   * DELETE .../workers/dispatch/namespaces/{ns}/scripts?tags={tag}:yes: every script carrying the tag. Not
   * wrapped by the SDK (7.3), so it goes through the client's generic request, with the same auth and retries.
   */
  async deleteScriptsByTag(tag: string): Promise<void> {
    if (tag.includes(",")) throw new Error("a tag filter cannot contain a comma");
    await this.#call("script delete by tag", () =>
      this.#client.delete(`/accounts/${this.#accountId}/workers/dispatch/namespaces/${this.#namespace}/scripts`, {
        query: { tags: `${tag}:yes` },
      }),
    );
  }

  async #call<T>(
    operation: string,
    run: () => Promise<T>,
    options: { missingIsDone?: boolean } = {},
  ): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof APIError) {
        if (options.missingIsDone && error.status === 404) return undefined;
        throw new CloudflareApiError(
          operation,
          error.status,
          (error.errors ?? []).map((e) => ({ code: Number(e.code), message: String(e.message) })),
        );
      }
      throw error;
    }
  }
}
