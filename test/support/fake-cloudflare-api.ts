// Plays the parts of Cloudflare's API the deployer calls, from the documented request and response shapes:
// every answer is the v4 envelope { success, errors, messages, result }. Runs on Request/Response only, so the
// Node contract tests serve it over loopback HTTP and workerd tests hand it to the SDK as its fetch.
// Anything off-contract (wrong method, path, auth, content type or multipart parts) is answered with a 400
// envelope naming the problem, and recorded, so a test sees it both as an SDK error and in `calls`.

export const ACCOUNT = "0123456789abcdef0123456789abcdef";
export const NAMESPACE = "pulse-tenants";
export const TOKEN = "test-api-token";

export interface RecordedCall {
  method: string;
  /** Path below /client/v4, e.g. /accounts/{a}/d1/database. */
  path: string;
  query: URLSearchParams;
  headers: Headers;
  /** Parsed multipart parts of a script upload. */
  parts?: { name: string; filename: string; type: string; text: string }[];
  json?: unknown;
  /** What the fake answered. */
  status: number;
}

export interface StoredScript {
  metadata: { main_module: string; tags?: string[]; bindings?: unknown[]; [key: string]: unknown };
  modules: Record<string, string>;
}

type Fault = { match: (call: RecordedCall) => boolean; answer: () => Response; times: number };

const PREFIX = "/client/v4";

export function envelope(result: unknown, status = 200, headers: HeadersInit = {}): Response {
  return Response.json({ success: true, errors: [], messages: [], result }, { status, headers });
}

export function failure(status: number, code: number, message: string, headers: HeadersInit = {}): Response {
  return Response.json(
    { success: false, errors: [{ code, message }], messages: [], result: null },
    { status, headers },
  );
}

/** A fetch for the SDK that sends API calls to `handle`. The SDK probes `fetch("data:,")` once (form-data support): not an API call. */
export function sdkFetchVia(handle: (request: Request) => Promise<Response>): typeof fetch {
  return (input, init) => {
    const request = new Request(input, init);
    return request.url.startsWith("data:") ? fetch(request) : handle(request);
  };
}

export class FakeCloudflareApi {
  readonly calls: RecordedCall[] = [];
  readonly scripts = new Map<string, StoredScript>();
  /** D1 databases by id. */
  readonly databases = new Map<string, { name: string }>();
  #faults: Fault[] = [];

  /** The next `times` calls that match get `answer()` instead of the normal handling. */
  fail(match: (call: RecordedCall) => boolean, answer: () => Response, times = 1): void {
    this.#faults.push({ match, answer, times });
  }

  /** As the SDK's fetch option. */
  readonly fetch = sdkFetchVia((request) => this.handle(request));

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const call: RecordedCall = {
      method: request.method,
      path: url.pathname.slice(PREFIX.length),
      query: url.searchParams,
      headers: new Headers(request.headers),
      status: 0,
    };
    this.calls.push(call);
    const response = await this.#answer(request, url, call);
    call.status = response.status;
    return response;
  }

  async #answer(request: Request, url: URL, call: RecordedCall): Promise<Response> {
    if (!url.pathname.startsWith(PREFIX)) return failure(404, 7000, "No route for that URI");
    if (request.headers.get("authorization") !== `Bearer ${TOKEN}`) return failure(403, 10000, "Authentication error");
    const contentType = request.headers.get("content-type") ?? "";
    if (contentType.startsWith("multipart/form-data")) {
      if (!/;\s*boundary=/.test(contentType)) return failure(400, 10001, "multipart body without a boundary");
      call.parts = [];
      for (const [name, value] of await request.formData()) {
        if (typeof value === "string") call.parts.push({ name, filename: "", type: "", text: value });
        else call.parts.push({ name, filename: value.name, type: value.type, text: await value.text() });
      }
    } else if (contentType.startsWith("application/json")) {
      call.json = await request.json();
    }
    const fault = this.#faults.find((f) => f.times > 0 && f.match(call));
    if (fault) {
      fault.times -= 1;
      return fault.answer();
    }

    const account = `/accounts/${ACCOUNT}`;
    const scripts = `${account}/workers/dispatch/namespaces/${NAMESPACE}/scripts`;
    if (call.path.startsWith(`${scripts}/`) && request.method === "PUT")
      return this.#upload(decodeURIComponent(call.path.slice(scripts.length + 1)), call);
    if (call.path === scripts && request.method === "DELETE") return this.#deleteByTags(call.query.get("tags"));
    if (call.path.startsWith(`${scripts}/`) && request.method === "DELETE") {
      return this.scripts.delete(decodeURIComponent(call.path.slice(scripts.length + 1)))
        ? envelope(null)
        : failure(404, 10007, "This Worker does not exist on your account.");
    }
    if (call.path === `${account}/d1/database` && request.method === "POST") return this.#createDatabase(call.json);
    if (call.path === `${account}/d1/database` && request.method === "GET") return this.#listDatabases(call.query);
    if (call.path.startsWith(`${account}/d1/database/`) && request.method === "DELETE") {
      return this.databases.delete(call.path.slice(`${account}/d1/database/`.length))
        ? envelope(null)
        : failure(404, 7404, "The database could not be found");
    }
    return failure(404, 7003, `Could not route to ${call.path}, perhaps your object identifier is invalid?`);
  }

  #upload(name: string, call: RecordedCall): Response {
    const parts = call.parts;
    if (!parts) return failure(400, 10001, "script uploads must be multipart/form-data");
    const metadataPart = parts.find((p) => p.name === "metadata");
    if (!metadataPart?.type.startsWith("application/json"))
      return failure(400, 10021, "a metadata part of type application/json is required");
    if (parts.some((p) => p.name.includes("["))) return failure(400, 10021, "unexpected bracketed form field");
    let metadata: StoredScript["metadata"];
    try {
      metadata = JSON.parse(metadataPart.text) as StoredScript["metadata"];
    } catch {
      return failure(400, 10021, "metadata is not JSON");
    }
    const modules: Record<string, string> = {};
    for (const part of parts) {
      if (part.name === "metadata") continue;
      if (part.type !== "application/javascript+module")
        return failure(400, 10021, `part ${part.name} is not an ES module`);
      modules[part.name] = part.text;
    }
    if (!(metadata.main_module in modules)) return failure(400, 10021, "main_module names no uploaded part");
    // Documented as a list of { service, environment?, namespace? } (the SDK's ConsumerScriptParam).
    const consumers = metadata.tail_consumers;
    if (
      consumers !== undefined &&
      (!Array.isArray(consumers) || consumers.some((c) => typeof (c as { service?: unknown })?.service !== "string"))
    )
      return failure(400, 10021, "tail_consumers must be a list of { service }");
    this.scripts.set(name, { metadata, modules });
    const now = new Date().toISOString();
    return envelope({
      id: name,
      etag: `etag-${this.calls.length}`,
      created_on: now,
      modified_on: now,
      handlers: ["fetch"],
      compatibility_date: metadata.compatibility_date,
      tags: metadata.tags ?? [],
    });
  }

  #deleteByTags(filter: string | null): Response {
    const match = /^(.+):yes$/.exec(filter ?? "");
    if (!match) return failure(400, 10021, "tags must be a tag:yes filter");
    for (const [name, script] of this.scripts) if (script.metadata.tags?.includes(match[1]!)) this.scripts.delete(name);
    return envelope(null);
  }

  /** Documented as a search by name: a substring match here, so the caller must pick the exact name. */
  #listDatabases(query: URLSearchParams): Response {
    const search = query.get("name") ?? "";
    const found = [...this.databases]
      .filter(([, d]) => d.name.includes(search))
      .map(([uuid, d]) => ({ uuid, name: d.name, created_at: new Date().toISOString(), version: "production" }));
    return Response.json({
      success: true,
      errors: [],
      messages: [],
      result: found,
      result_info: {
        page: 1,
        per_page: Number(query.get("per_page") ?? 20),
        count: found.length,
        total_count: found.length,
      },
    });
  }

  #createDatabase(body: unknown): Response {
    const name = (body as { name?: unknown } | undefined)?.name;
    if (typeof name !== "string" || name === "") return failure(400, 7400, "name is required");
    if ([...this.databases.values()].some((d) => d.name === name))
      return failure(400, 7502, "A database with that name already exists");
    const uuid = crypto.randomUUID();
    this.databases.set(uuid, { name });
    return envelope({ uuid, name, created_at: new Date().toISOString(), version: "production" });
  }
}
