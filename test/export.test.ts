// Export to a standalone Worker, from the API's side: what the project holds (source or bundle, runtime,
// config), the data (KV without the prefix, in `wrangler kv bulk put` form; SQL as a script), the bounds,
// and who may export what. That the project runs is shown in test/node/export.test.ts.

import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { exportKv } from "../deployer/export/kv-export.ts";
import { adminToken, api, newTenant, type TestTenant } from "./support/control.ts";
import { BASE, callHost, deployFixture, uniqueName } from "./support/pulses.ts";

// Every test builds pulses with esbuild-wasm in the control plane (the first one cold): room for a busy machine.
const BUILDS = { timeout: 30_000 };

let pro: TestTenant;
beforeAll(async () => {
  pro = await newTenant("pro");
});

const KV_PULSE = `export default async function run(input: { seed?: string }, env: any) {
  if (input.seed) {
    await env.kv.put("text", "héllo 'x'", { metadata: { lang: "fr" }, expirationTtl: 3600 });
    await env.kv.put("bytes", new Uint8Array([0, 255, 1, 128]));
    await env.kv.put("nested/key", "v");
  }
  return { keys: (await env.kv.list()).keys.map((k: any) => k.name) };
}
`;

const SQL_PULSE = `export default async function run(input: { seed?: string }, env: any) {
  if (input.seed) {
    await env.db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, r REAL, b BLOB, n INTEGER); CREATE INDEX t_s ON t(s)");
    await env.db.batch([
      { sql: "INSERT INTO t (s, r, b, n) VALUES (?, ?, ?, ?)", params: ["it's \\"q\\"; DROP TABLE t; --", 1.5, new Uint8Array([1, 2, 255]).buffer, null] },
      { sql: "INSERT INTO t (s, r, b, n) VALUES (?, ?, ?, ?)", params: ["line\\nbreak", -0.25, null, 42] },
    ]);
  }
  return { rows: await env.db.query("SELECT id, s, r, hex(b) AS b, n FROM t ORDER BY id") };
}
`;

async function deploySource(tenant: TestTenant, code: string, name = uniqueName("exp")) {
  expect((await api("POST", "/v1/pulses", { token: tenant.token, body: { name } })).status).toBe(201);
  const res = await api("POST", `/v1/pulses/${name}/versions`, {
    token: tenant.token,
    body: { files: { "index.ts": code, "lib/unused.ts": "export const x = 1;\n" }, main: "index.ts", deploy: true },
  });
  expect(res.status).toBe(201);
  return {
    name,
    versionId: res.body.version.id as string,
    pulseId: (await api("GET", `/v1/pulses/${name}`, { token: tenant.token })).body.id as string,
  };
}

const exportOf = (tenant: TestTenant, name: string, query = "") =>
  api("GET", `/v1/pulses/${name}/export${query}`, { token: tenant.token });

describe("export: the project", BUILDS, () => {
  it("carries the developer's source, the standalone runtime and a config with KV, no D1 without SQL", async () => {
    const free = await newTenant("free");
    const { name, versionId, pulseId } = await deploySource(free, KV_PULSE);
    const res = await exportOf(free, name);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      pulse: name,
      pulseId,
      versionId,
      from: "source",
      secrets: [],
      connections: [],
      data: { sql: null },
    });
    const files = res.body.files as Record<string, string>;
    expect(files["pulse/index.ts"]).toBe(KV_PULSE);
    expect(files["pulse/lib/unused.ts"]).toBe("export const x = 1;\n");
    expect(files["worker.ts"]).toContain('import run from "./pulse/index.ts"');
    expect(files["worker.ts"]).toContain(`"vibeId":"${pulseId}"`);
    for (const runtime of [
      "runtime/runtime-shim/standalone.ts",
      "runtime/runtime-shim/serve.ts",
      "runtime/platform/errors.ts",
    ])
      expect(files[runtime], runtime).toBeTruthy();
    // The platform's outbound fetch wrapper stays on the platform.
    expect(Object.keys(files).some((f) => f.includes("outbound-fetch"))).toBe(false);
    expect(files["wrangler.jsonc"]).toContain(`"kv_namespaces": [{ "binding": "kv" }]`);
    expect(files["wrangler.jsonc"]).not.toContain("d1_databases");
    expect(files["data/db.sql"]).toBeUndefined();
    expect(files["README.md"]).toContain("wrangler kv bulk put data/kv.json --binding kv");
  });

  it("falls back to the bundle for versions built before sources were kept, and says so", async () => {
    const seeded = await deployFixture("echo"); // seeded straight into the bundle store: no stored source
    const admin = { token: await adminToken() } as TestTenant;
    const res = await exportOf(admin, seeded.name);
    expect(res.status).toBe(200);
    expect(res.body.from).toBe("bundle");
    expect(res.body.files["pulse/bundle.js"]).toContain("servePulse");
    expect(res.body.files["worker.ts"]).toMatch(
      /import ".\/runtime\/runtime-shim\/standalone-fetch.ts";\nimport \{ serveBundle \}/,
    );
    expect(res.body.notes.join(" ")).toMatch(/built before sources were kept/);
    expect(res.body.files["README.md"]).toContain("built before Pulse kept sources");
  });

  it("exports an older version with ?version=, lists secret names and never their values", async () => {
    const first = await deploySource(pro, KV_PULSE);
    await api("POST", `/v1/pulses/${first.name}/versions`, {
      token: pro.token,
      body: { files: { "index.ts": "export default () => 2;\n" }, main: "index.ts", deploy: true },
    });
    await api("PUT", `/v1/pulses/${first.name}/secrets/STRIPE_KEY`, {
      token: pro.token,
      body: { value: "sk_test_value_987654", hosts: ["api.stripe.com"] },
    });
    await api("PUT", `/v1/pulses/${first.name}/connections/GITHUB`, {
      token: pro.token,
      body: { accessToken: "gho_token_value_123", hosts: ["api.github.com"] },
    });
    const live = await exportOf(pro, first.name);
    expect(live.body.files["pulse/index.ts"]).toBe("export default () => 2;\n");
    const old = await exportOf(pro, first.name, `?version=${first.versionId.slice(0, 10)}`);
    expect(old.status).toBe(200);
    expect(old.body.versionId).toBe(first.versionId);
    expect(old.body.files["pulse/index.ts"]).toBe(KV_PULSE);
    expect(old.body).toMatchObject({ secrets: ["STRIPE_KEY"], connections: ["GITHUB"] });
    expect(old.body.files[".dev.vars.example"]).toBe("STRIPE_KEY=\nconnection_GITHUB=\n");
    expect(old.body.files["README.md"]).toContain("npx wrangler secret put STRIPE_KEY");
    const whole = JSON.stringify(old.body);
    expect(whole).not.toContain("sk_test_value_987654");
    expect(whole).not.toContain("gho_token_value_123");
  });
});

describe("export: data", BUILDS, () => {
  it("exports KV keys without the prefix, with metadata, expiration and base64 for bytes", async () => {
    const { name, pulseId } = await deploySource(pro, KV_PULSE);
    expect((await (await callHost(`${name}.${BASE}`, "/?seed=1")).json<any>()).keys).toEqual([
      "bytes",
      "nested/key",
      "text",
    ]);
    const res = await exportOf(pro, name);
    const entries = JSON.parse(res.body.files["data/kv.json"]) as any[];
    expect(entries.map((e) => e.key)).toEqual(["bytes", "nested/key", "text"]);
    expect(JSON.stringify(entries)).not.toContain(pulseId); // no vibe:{id}: prefix anywhere
    expect(entries[0]).toEqual({ key: "bytes", value: btoa(String.fromCharCode(0, 255, 1, 128)), base64: true });
    expect(entries[1]).toEqual({ key: "nested/key", value: "v" });
    expect(entries[2]).toMatchObject({ key: "text", value: "héllo 'x'", metadata: { lang: "fr" } });
    expect(entries[2].expiration).toBeGreaterThan(Date.now() / 1000 + 3000);
    expect(res.body.data.kv).toMatchObject({
      keys: 3,
      complete: true,
      bytes: 4 + 1 + new TextEncoder().encode("héllo 'x'").byteLength,
    });
  });

  it("stops at its bounds and says the data is partial", async () => {
    const { name, pulseId } = await deploySource(pro, KV_PULSE);
    await callHost(`${name}.${BASE}`, "/?seed=1");
    expect(await exportKv(env.PULSE_KV, pulseId, { maxKeys: 2, maxBytes: 1000 })).toMatchObject({
      complete: false,
      entries: [{ key: "bytes" }, { key: "nested/key" }],
    });
    expect(await exportKv(env.PULSE_KV, pulseId, { maxKeys: 10, maxBytes: 5 })).toMatchObject({
      complete: false,
      bytes: 5,
    });
    const sql = await deploySource(pro, SQL_PULSE);
    await callHost(`${sql.name}.${BASE}`, "/?seed=1");
    const dump = await env.PULSE_DB.getByName(sql.pulseId).dump(300);
    expect(dump.complete).toBe(false);
    expect(dump.rows).toBeLessThan(2);
    expect(dump.sql).toContain("CREATE TABLE t"); // the schema is always whole
    expect(dump.sql).toContain("CREATE INDEX t_s");
  });

  it("dumps the SQL database as a script that rebuilds the same rows", async () => {
    const { name, pulseId } = await deploySource(pro, SQL_PULSE);
    const before = await (await callHost(`${name}.${BASE}`, "/?seed=1")).json<any>();
    const res = await exportOf(pro, name);
    expect(res.body.data.sql).toMatchObject({ tables: 1, rows: 2, complete: true });
    expect(res.body.files["wrangler.jsonc"]).toContain(
      `"d1_databases": [{ "binding": "db", "database_name": "${name}-db" }]`,
    );
    const script = res.body.files["data/db.sql"] as string;
    expect(script).not.toMatch(/BEGIN|COMMIT|_cf_|sqlite_/i);
    expect(script.indexOf("CREATE INDEX")).toBeGreaterThan(script.lastIndexOf("INSERT INTO"));
    // Replayed into a fresh database (another pulse's, empty), the rows read back the same.
    const replica = await deploySource(pro, SQL_PULSE);
    await env.PULSE_DB.getByName(replica.pulseId).exec(script.replace("PRAGMA defer_foreign_keys = true;\n", ""));
    expect(await (await callHost(`${replica.name}.${BASE}`, "/")).json()).toEqual(before);
    expect(before.rows[0]).toMatchObject({ s: `it's "q"; DROP TABLE t; --`, r: 1.5, b: "0102FF", n: null });
    expect(pulseId).not.toBe(replica.pulseId);
  });
});

describe("export: access", BUILDS, () => {
  it("is scoped to the tenant, needs a token, answers clearly, and is not audited", async () => {
    const { name } = await deploySource(pro, KV_PULSE);
    const other = await newTenant();
    const foreign = await exportOf(other, name);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("pulse_not_found");
    expect((await api("GET", `/v1/pulses/${name}/export`)).status).toBe(401);
    const bad = await exportOf(pro, name, "?version=zz");
    expect(bad.status).toBe(400);
    const missing = await exportOf(pro, name, "?version=0000000000");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("version_not_found");
    const undeployed = uniqueName("nolive");
    await api("POST", "/v1/pulses", { token: pro.token, body: { name: undeployed } });
    const none = await exportOf(pro, undeployed);
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe("pulse_not_deployed");
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action LIKE ?1").bind(`%/export%`).first("n"),
    ).toBe(0);
    const spec = await api("GET", "/v1/openapi.json");
    expect(
      spec.body.paths["/v1/pulses/{name}/export"].get.responses["200"].content["application/json"].schema.$ref,
    ).toBe("#/components/schemas/Export");
  });
});
