// The deployer's Cloudflare backend: before a version goes live, its script is uploaded to the dispatch
// namespace with its bindings (and, on a plan with SQL, the pulse's own D1 database is created first). Only
// then does the caller switch the active-version pointer, so a failed upload or D1 creation changes nothing
// that serves: the previous version's script is another script and stays as it was.

import { getBundle } from "../../platform/bundle-store.ts";
import { parseLimits } from "../../platform/plans.ts";
import { PULSE_MAIN_MODULE } from "../../platform/script-host.ts";
import { pulseTag, scriptMetadata, scriptNameFor, tenantTag } from "../../platform/namespace-script.ts";
import { referenceMaps } from "../../outbound/secret-store.ts";
import type { DeployerEnv } from "../env.ts";
import type { ScriptPublisher } from "../deploy/publish.ts";
import type { CloudflareApi } from "./api.ts";
import { uploadScriptAssets, withAssets } from "./assets.ts";
import { ScriptGarbage, type SweepReport } from "./script-garbage.ts";

interface VersionRow {
  tenant_id: string;
  plan: string;
  plan_limits: string;
  bundle_key: string;
  static_manifest: string | null;
  secret_names: string;
}

export class CloudflarePublisher implements ScriptPublisher {
  readonly #env: DeployerEnv;
  readonly #api: CloudflareApi;
  readonly #garbage: ScriptGarbage;

  constructor(env: DeployerEnv, api: CloudflareApi) {
    this.#env = env;
    this.#api = api;
    this.#garbage = new ScriptGarbage(env, api);
  }

  async publish(pulseId: string, versionId: string): Promise<void> {
    const row = await this.#env.DB.prepare(
      `SELECT p.tenant_id, t.plan, pl.limits AS plan_limits, v.bundle_key, v.static_manifest,
              (SELECT json_group_array(n) FROM (SELECT s.kind || ':' || s.name AS n FROM secrets s WHERE s.pulse_id = p.id ORDER BY n)) AS secret_names
         FROM pulses p JOIN tenants t ON t.id = p.tenant_id JOIN plans pl ON pl.name = t.plan
         JOIN versions v ON v.pulse_id = p.id AND v.id = ?2
        WHERE p.id = ?1`,
    )
      .bind(pulseId, versionId)
      .first<VersionRow>();
    if (!row) throw new Error(`version ${versionId} of pulse ${pulseId} does not exist`);
    const code = await getBundle(this.#env.BUNDLES, row.bundle_key);
    if (code === null) throw new Error(`bundle ${row.bundle_key} is missing`);
    const limits = parseLimits(row.plan_limits);
    const refs = await referenceMaps(this.#env, pulseId, JSON.parse(row.secret_names) as string[]);
    const databaseId = limits.sql ? await this.#ensureDatabase(pulseId, row.tenant_id) : undefined;
    const metadata = scriptMetadata({ pulseId, tenantId: row.tenant_id, plan: row.plan, limits, databaseId, ...refs });
    const name = scriptNameFor(pulseId, versionId);
    const assets = row.static_manifest
      ? await uploadScriptAssets(this.#api, this.#env.BUNDLES, name, row.static_manifest)
      : null;
    await this.#api.uploadScript(name, withAssets(metadata, assets), { [PULSE_MAIN_MODULE]: code });
    await this.#garbage.recordUpload({ name, pulseId, tenantId: row.tenant_id, versionId });
  }

  hasScript(pulseId: string, versionId: string): Promise<boolean> {
    return this.#garbage.isInPlace(scriptNameFor(pulseId, versionId));
  }

  collectGarbage(pulseId: string, sweepId: string): Promise<SweepReport> {
    return this.#garbage.sweepPulse(pulseId, sweepId);
  }

  sweep(sweepId: string): Promise<SweepReport> {
    return this.#garbage.sweepAll(sweepId);
  }

  /** Every script of the pulse (all its versions, by tag), then its database. */
  async removePulse(pulseId: string): Promise<void> {
    await this.#api.deleteScriptsByTag(pulseTag(pulseId));
    await this.#garbage.forget("pulse_id", pulseId);
    await this.#dropDatabases(`SELECT pulse_id, database_id FROM pulse_databases WHERE pulse_id = ?1`, pulseId);
  }

  async removeTenant(tenantId: string): Promise<void> {
    await this.#api.deleteScriptsByTag(tenantTag(tenantId));
    await this.#garbage.forget("tenant_id", tenantId);
    await this.#dropDatabases(`SELECT pulse_id, database_id FROM pulse_databases WHERE tenant_id = ?1`, tenantId);
  }

  /** The pulse's D1, created on its first deploy on a plan with SQL and recorded before it is bound. */
  async #ensureDatabase(pulseId: string, tenantId: string): Promise<string> {
    const existing = await this.#env.DB.prepare(`SELECT database_id FROM pulse_databases WHERE pulse_id = ?1`)
      .bind(pulseId)
      .first<string>("database_id");
    if (existing) return existing;
    const databaseId = await this.#createOrAdopt(`pulse-${pulseId}`);
    await this.#env.DB.prepare(
      `INSERT INTO pulse_databases (pulse_id, tenant_id, database_id, created_at) VALUES (?1, ?2, ?3, ?4)`,
    )
      .bind(pulseId, tenantId, databaseId, Date.now())
      .run();
    return databaseId;
  }

  /**
   * A create that reached Cloudflare but whose answer or record was lost (timeout, 5xx after the fact, a failed
   * insert) leaves a database of that name: the retry adopts it instead of failing on the name forever.
   */
  async #createOrAdopt(name: string): Promise<string> {
    try {
      return await this.#api.createDatabase(name);
    } catch (error) {
      const existing = await this.#api.findDatabase(name).catch(() => undefined);
      if (existing) return existing;
      throw error;
    }
  }

  /** Each row goes only once its database is gone, so a failure leaves it to retry. */
  async #dropDatabases(query: string, id: string): Promise<void> {
    const { results } = await this.#env.DB.prepare(query).bind(id).all<{ pulse_id: string; database_id: string }>();
    for (const { pulse_id, database_id } of results) {
      await this.#api.deleteDatabase(database_id);
      await this.#env.DB.prepare(`DELETE FROM pulse_databases WHERE pulse_id = ?1`).bind(pulse_id).run();
    }
  }
}
