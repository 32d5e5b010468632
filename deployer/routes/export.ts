// GET /v1/pulses/{name}/export: a pulse as a standalone Worker project (source, runtime, wrangler.jsonc,
// README) with its KV data and SQL dump, as one JSON document. A read: tenant-scoped like every pulse route,
// not audited.

import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import STANDALONE_RUNTIME from "../generated/standalone-runtime.js";
import { ExportQuerySchema, ExportSchema, NameParamSchema, type ExportResult } from "../../platform/api-schemas.ts";
import { getBundle } from "../../platform/bundle-store.ts";
import { ApiError } from "../../platform/errors.ts";
import { parseLimits } from "../../platform/plans.ts";
import { getSources } from "../../platform/source-store.ts";
import type { ControlApp } from "../context.ts";
import type { DeployerEnv } from "../env.ts";
import { exportKv } from "../export/kv-export.ts";
import { EXPORT_MAX_KV_BYTES, EXPORT_MAX_KV_KEYS, EXPORT_MAX_SQL_BYTES } from "../export/limits.ts";
import { exportProject, EXPORT_PATHS } from "../export/project.ts";
import { readStaticFiles } from "../export/static-files.ts";
import { staticManifestKey, type StaticManifest } from "../../platform/static-files.ts";
import { findPulse, resolveVersionId, type PulseRow } from "../store.ts";
import { BEARER, errorResponses, jsonResponse } from "./openapi.ts";

const route = createRoute({
  method: "get",
  operationId: "exportPulse",
  path: "/v1/pulses/{name}/export",
  summary: "Export a pulse as a standalone Worker project with its data",
  description:
    "The live version (or ?version=) as a project that runs with plain `wrangler dev` and deploys to your own Cloudflare account: the source " +
    "(or, for versions built before sources were kept, the bundle), the runtime as source, wrangler.jsonc with KV and D1 bindings, a README, " +
    `KV data for \`wrangler kv bulk put\` (at most ${EXPORT_MAX_KV_KEYS} keys and ${EXPORT_MAX_KV_BYTES} bytes of values) and a SQL dump for ` +
    `\`wrangler d1 execute --file\` (at most ${EXPORT_MAX_SQL_BYTES} bytes). data.*.complete says whether a bound was reached. Secret values are never exported.`,
  security: BEARER,
  request: { params: NameParamSchema, query: ExportQuerySchema },
  responses: { 200: jsonResponse(ExportSchema, "The project"), ...errorResponses(400, 401, 404, 409) },
});

export function registerExportRoutes(app: OpenAPIHono<ControlApp>): void {
  app.openapi(route, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    const requested = c.req.valid("query").version;
    return c.json(await exportPulse(c.env, pulse, requested), 200);
  });
}

async function exportPulse(env: DeployerEnv, pulse: PulseRow, requested: string | undefined): Promise<ExportResult> {
  const versionId = requested ? await resolveVersionId(env.DB, pulse, requested) : pulse.active_version_id;
  if (!versionId)
    throw new ApiError(
      "pulse_not_deployed",
      `Pulse "${pulse.name}" has no live version: pass ?version= to export an uploaded one`,
    );
  const version = await env.DB.prepare(
    `SELECT bundle_key, source_hash, static_manifest FROM versions WHERE pulse_id = ?1 AND id = ?2`,
  )
    .bind(pulse.id, versionId)
    .first<{ bundle_key: string; source_hash: string | null; static_manifest: string | null }>();
  if (!version) throw new ApiError("version_not_found", `Pulse "${pulse.name}" has no version ${versionId}`);

  const notes: string[] = [];
  const source = await getSources(env.BUNDLES, version.source_hash);
  let code: Parameters<typeof exportProject>[0]["code"];
  if (source) {
    code = { kind: "source", source };
  } else {
    const bundle = await getBundle(env.BUNDLES, version.bundle_key);
    if (bundle === null) throw new Error(`bundle ${version.bundle_key} is missing`);
    code = { kind: "bundle", bundle };
    notes.push(
      `Version ${versionId.slice(0, 12)} was built before sources were kept: the export carries its built bundle (${EXPORT_PATHS.bundle}), not its source. Deploy from source again to export the source.`,
    );
  }

  const staticFiles = version.static_manifest ? await exportedStaticFiles(env, version.static_manifest) : null;
  const [sqlPlan, names, kv] = await Promise.all([
    planHasSql(env, pulse),
    env.DB.prepare(`SELECT name, kind FROM secrets WHERE pulse_id = ?1 ORDER BY name`)
      .bind(pulse.id)
      .all<{ name: string; kind: "secret" | "connection" }>(),
    exportKv(env.PULSE_KV, pulse.id, { maxKeys: EXPORT_MAX_KV_KEYS, maxBytes: EXPORT_MAX_KV_BYTES }),
  ]);
  let sql = null;
  if (sqlPlan) {
    if (!env.ROUTES)
      throw new ApiError("platform_unavailable", "The pulse's database is not reachable from this control plane");
    sql = await env.ROUTES.dumpPulseDatabase(pulse.id, EXPORT_MAX_SQL_BYTES);
  }
  if (!kv.complete)
    notes.push(
      `KV data is partial: an export carries at most ${EXPORT_MAX_KV_KEYS} keys and ${EXPORT_MAX_KV_BYTES} bytes of values.`,
    );
  if (sql && !sql.complete)
    notes.push(`The SQL dump is partial: rows stop at ${EXPORT_MAX_SQL_BYTES} bytes (the schema is complete).`);
  const secrets = names.results.filter((s) => s.kind === "secret").map((s) => s.name);
  const connections = names.results.filter((s) => s.kind === "connection").map((s) => s.name);
  if (secrets.length + connections.length)
    notes.push("Secret values are not exported: set them with `wrangler secret put` (README.md lists the names).");

  const files = exportProject({
    pulse: { name: pulse.name, id: pulse.id },
    versionId,
    code,
    runtime: STANDALONE_RUNTIME,
    secrets,
    connections,
    kv: { json: `${JSON.stringify(kv.entries, null, 1)}\n`, keys: kv.entries.length, complete: kv.complete },
    sql: sql ? { script: sql.sql, tables: sql.tables, rows: sql.rows, complete: sql.complete } : null,
    staticFiles,
  });
  return {
    pulse: pulse.name,
    pulseId: pulse.id,
    versionId,
    from: code.kind,
    files,
    ...(staticFiles && Object.keys(staticFiles.binary).length ? { binaryFiles: staticFiles.binary } : {}),
    data: {
      kv: {
        keys: kv.entries.length,
        bytes: kv.bytes,
        complete: kv.complete,
        maxKeys: EXPORT_MAX_KV_KEYS,
        maxBytes: EXPORT_MAX_KV_BYTES,
      },
      sql: sql
        ? {
            tables: sql.tables,
            rows: sql.rows,
            bytes: sql.bytes,
            complete: sql.complete,
            maxBytes: EXPORT_MAX_SQL_BYTES,
          }
        : null,
    },
    secrets,
    connections,
    notes,
  };
}

async function exportedStaticFiles(env: DeployerEnv, manifestHash: string) {
  const object = await env.BUNDLES.get(staticManifestKey(manifestHash));
  if (!object) throw new Error(`static manifest ${manifestHash} is missing`);
  return readStaticFiles(env.BUNDLES, JSON.parse(await object.text()) as StaticManifest);
}

/** env.db exists on plans with SQL: the export has a D1 binding and a dump exactly then. */
async function planHasSql(env: DeployerEnv, pulse: PulseRow): Promise<boolean> {
  const limits = await env.DB.prepare(
    `SELECT pl.limits FROM tenants t JOIN plans pl ON pl.name = t.plan WHERE t.id = ?1`,
  )
    .bind(pulse.tenant_id)
    .first<string>("limits");
  return parseLimits(limits).sql;
}
