// Talks to the control plane the way a client does: through the dispatcher, on the control host, with a
// bearer token minted by the test's own keys.

import { env, exports } from "cloudflare:workers";
import { importJWK } from "jose";
import { newId } from "../../platform/names.ts";
import { insertTenant } from "../../platform/registry.ts";
import { mintToken, type MintOptions, type Principal } from "../../platform/tokens.ts";
import { uniqueName } from "./pulses.ts";

export async function tokenFor(
  principal: Principal,
  options: MintOptions & { key?: "a" | "b" | "outsider" } = {},
): Promise<string> {
  const jwk = env.TEST_KEYS[options.key ?? "a"];
  const key = await importJWK(jwk, "EdDSA");
  return mintToken({ kid: jwk.kid, alg: "EdDSA", key }, principal, options);
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = any>(
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; rawBody?: string } = {},
): Promise<ApiResponse<T>> {
  const headers = new Headers({ host: "127.0.0.1" });
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers.set("content-type", "application/json");
  const res = await (exports as unknown as { default: Fetcher }).default.fetch(
    new Request(`http://127.0.0.1${path}`, { method, headers, body }),
  );
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (docs page): keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export interface TestTenant {
  id: string;
  name: string;
  token: string;
}

/** A fresh tenant with a developer token for it; on pro by default (free allows only 5 pulses). */
export async function newTenant(plan = "pro"): Promise<TestTenant> {
  const id = newId("t");
  const name = uniqueName("tenant");
  await insertTenant(env.DB, { id, name, plan });
  return { id, name, token: await tokenFor({ role: "developer", sub: `dev-of-${name}`, tenantId: id }) };
}

export function adminToken(): Promise<string> {
  return tokenFor({ role: "admin", sub: "test-admin" });
}

/** A two-file TypeScript pulse whose answer names its variant. */
export function greeter(variant: string) {
  return {
    files: {
      "index.ts": `import { greet } from "./lib/greet";\nexport default async function run(input: { name?: string }) {\n  return { message: greet(input.name ?? "world"), variant: ${JSON.stringify(variant)} };\n}\n`,
      "lib/greet.ts": `export function greet(name: string): string {\n  return \`hello, \${name}\`;\n}\n`,
    },
    main: "index.ts",
  };
}
