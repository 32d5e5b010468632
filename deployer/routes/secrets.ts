// Secrets and OAuth connections of a pulse: write-only values, sealed before they touch the database. Reads
// list names, hosts and placement only. One set of handlers serves both kinds.

import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import {
  NameParamSchema,
  PutConnectionSchema,
  PutSecretSchema,
  SecretInfoSchema,
  SecretNameParamSchema,
} from "../../platform/api-schemas.ts";
import { ApiError } from "../../platform/errors.ts";
import { loadKeyring, sealSecret, type Keyring } from "../../platform/secret-crypto.ts";
import { MAX_SECRETS_PER_PULSE, secretValueProblem } from "../../platform/secret-limits.ts";
import type { ControlApp } from "../context.ts";
import type { DeployerEnv } from "../env.ts";
import { purgeEgress, purgeRoute } from "../routing.ts";
import { findPulse } from "../store.ts";
import { BEARER, errorResponses, jsonBody, jsonResponse, operationId } from "./openapi.ts";

const KINDS = {
  secrets: { kind: "secret", schema: PutSecretSchema, valueField: "value", what: "secret" },
  connections: { kind: "connection", schema: PutConnectionSchema, valueField: "accessToken", what: "OAuth connection" },
} as const;

interface SecretRow {
  name: string;
  kind: "secret" | "connection";
  allowed_hosts: string;
  allow_in_url: number;
  allow_in_body: number;
  allow_signing: number;
  updated_at: number;
}

let keyring: { source: string; ring: Promise<Keyring> } | undefined;
function ringOf(env: DeployerEnv): Promise<Keyring> {
  const source = env.SECRETS_KEYRING ?? "";
  if (!keyring || keyring.source !== source) keyring = { source, ring: loadKeyring(env.SECRETS_KEYRING) };
  return keyring.ring;
}

function toInfo(row: SecretRow) {
  return {
    name: row.name,
    kind: row.kind,
    hosts: JSON.parse(row.allowed_hosts) as string[],
    allowInUrl: row.allow_in_url === 1,
    allowInBody: row.allow_in_body === 1,
    allowSigning: row.allow_signing === 1,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** A new name past MAX_SECRETS_PER_PULSE (secrets and connections together) is refused; replacing one is not. */
async function checkRoomFor(db: D1Database, pulseId: string, kind: string, name: string): Promise<void> {
  const row = await db
    .prepare(
      `SELECT count(*) AS n, coalesce(sum(kind = ?2 AND name = ?3), 0) AS replacing FROM secrets WHERE pulse_id = ?1`,
    )
    .bind(pulseId, kind, name)
    .first<{ n: number; replacing: number }>();
  if (row && row.replacing === 0 && row.n >= MAX_SECRETS_PER_PULSE) {
    const message = `A pulse holds at most ${MAX_SECRETS_PER_PULSE} secrets and connections together; delete one first`;
    throw new ApiError("secret_limit_reached", message);
  }
}

export function registerSecretRoutes(app: OpenAPIHono<ControlApp>, path: keyof typeof KINDS): void {
  const { kind, schema, valueField, what } = KINDS[path];

  const putRoute = createRoute({
    method: "put",
    operationId: operationId("put", kind),
    path: `/v1/pulses/{name}/${path}/{secret}`,
    summary: `Set a ${what} (write-only)`,
    description: `User code sees env.${path}.NAME as an opaque reference; the outbound worker substitutes the value only for the listed hosts. The value is never returned.`,
    security: BEARER,
    request: { params: SecretNameParamSchema, body: jsonBody(schema) },
    responses: {
      200: jsonResponse(SecretInfoSchema, "Stored (no value in the answer)"),
      ...errorResponses(400, 401, 404, 409, 413),
    },
  });
  const deleteRoute = createRoute({
    method: "delete",
    operationId: operationId("delete", kind),
    path: `/v1/pulses/{name}/${path}/{secret}`,
    summary: `Delete a ${what}`,
    security: BEARER,
    request: { params: SecretNameParamSchema },
    responses: {
      200: jsonResponse(z.object({ deleted: z.literal(true), name: z.string() }), "Deleted"),
      ...errorResponses(401, 404),
    },
  });
  const listRoute = createRoute({
    method: "get",
    operationId: operationId("list", path),
    path: `/v1/pulses/{name}/${path}`,
    summary: `List ${what}s: names, hosts and placement, never values`,
    security: BEARER,
    request: { params: NameParamSchema },
    responses: {
      200: jsonResponse(z.object({ [path]: z.array(SecretInfoSchema) }), "Listed"),
      ...errorResponses(401, 404),
    },
  });

  app.openapi(putRoute, async (c) => {
    const { name, secret } = c.req.valid("param");
    const body = c.req.valid("json") as Record<string, unknown> & {
      hosts: string[];
      allowInUrl?: boolean;
      allowInBody?: boolean;
      allowSigning?: boolean;
    };
    // Connections are OAuth tokens for one provider's API: only plain secrets may sign.
    const row = {
      name: secret,
      kind,
      allowed_hosts: JSON.stringify(body.hosts),
      allow_in_url: body.allowInUrl ? 1 : 0,
      allow_in_body: body.allowInBody ? 1 : 0,
      allow_signing: kind === "secret" && body.allowSigning ? 1 : 0,
      updated_at: Date.now(),
    };
    const pulse = await findPulse(c.env.DB, c.get("principal"), name);
    const problem = secretValueProblem(body[valueField] as string);
    if (problem) throw new ApiError("secret_too_large", problem);
    await checkRoomFor(c.env.DB, pulse.id, kind, secret);
    const sealed = await sealSecret(
      await ringOf(c.env),
      { pulseId: pulse.id, kind, name: secret },
      body[valueField] as string,
    );
    await c.env.DB.prepare(
      `INSERT INTO secrets (pulse_id, kind, name, key_id, ciphertext, allowed_hosts, allow_in_url, allow_in_body, allow_signing, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)
       ON CONFLICT (pulse_id, kind, name) DO UPDATE SET key_id = ?4, ciphertext = ?5, allowed_hosts = ?6, allow_in_url = ?7,
         allow_in_body = ?8, allow_signing = ?9, updated_at = ?10`,
    )
      .bind(
        pulse.id,
        kind,
        secret,
        sealed.keyId,
        sealed.ciphertext,
        row.allowed_hosts,
        row.allow_in_url,
        row.allow_in_body,
        row.allow_signing,
        row.updated_at,
      )
      .run();
    await purgeEgress(c.env, pulse.id);
    await purgeRoute(c.env, pulse.name); // env.<kind> lists the names: a new name means a fresh env
    return c.json(toInfo(row), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { name, secret } = c.req.valid("param");
    const pulse = await findPulse(c.env.DB, c.get("principal"), name);
    const result = await c.env.DB.prepare(`DELETE FROM secrets WHERE pulse_id = ?1 AND kind = ?2 AND name = ?3`)
      .bind(pulse.id, kind, secret)
      .run();
    if (!result.meta.changes) throw new ApiError("not_found", `Pulse "${name}" has no ${what} named ${secret}`);
    await purgeEgress(c.env, pulse.id);
    await purgeRoute(c.env, pulse.name);
    return c.json({ deleted: true as const, name: secret }, 200);
  });

  app.openapi(listRoute, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    const { results } = await c.env.DB.prepare(
      `SELECT name, kind, allowed_hosts, allow_in_url, allow_in_body, allow_signing, updated_at FROM secrets WHERE pulse_id = ?1 AND kind = ?2 ORDER BY name`,
    )
      .bind(pulse.id, kind)
      .all<SecretRow>();
    return c.json({ [path]: results.map(toInfo) } as Record<string, ReturnType<typeof toInfo>[]>, 200);
  });
}
