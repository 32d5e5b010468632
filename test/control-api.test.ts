// The control plane end to end: through the dispatcher's control host into the deployer, and back out
// through the pulse's own subdomain.

import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_FILES, MAX_SOURCE_BYTES } from "../platform/source-rules.ts";
import { MAX_STATIC_TOTAL_BYTES_ANY_PLAN } from "../platform/static-files.ts";
import { api, greeter, newTenant, type TestTenant } from "./support/control.ts";
import { BASE, callHost, uniqueName } from "./support/pulses.ts";

let dev: TestTenant;
beforeAll(async () => {
  dev = await newTenant();
});

async function createPulse(name = uniqueName("api")): Promise<string> {
  const res = await api("POST", "/v1/pulses", { token: dev.token, body: { name } });
  expect(res.status).toBe(201);
  return name;
}

const upload = (name: string, source: unknown) =>
  api("POST", `/v1/pulses/${name}/versions`, { token: dev.token, body: source });
const serve = async (name: string, path = "/?name=ada") => (await callHost(`${name}.${BASE}`, path)).json<any>();

describe("pulses", () => {
  it("creates, reads and lists a pulse", async () => {
    const name = uniqueName("made");
    const created = await api("POST", "/v1/pulses", { token: dev.token, body: { name } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name,
      tenant: dev.name,
      activeVersionId: null,
      url: `http://${name}.pulses.localhost`,
    });
    expect(created.body.id).toMatch(/^p[a-z2-7]{20}$/);
    expect((await api("GET", `/v1/pulses/${name}`, { token: dev.token })).body).toEqual(created.body);
    expect((await api("GET", "/v1/pulses", { token: dev.token })).body.pulses.map((p: any) => p.name)).toContain(name);
  });

  it("refuses invalid, reserved and taken names", async () => {
    for (const name of ["Upper", "-dash", "dash-", "a_b", "a.b", "x".repeat(64), "", "api", "www", "admin"]) {
      const res = await api("POST", "/v1/pulses", { token: dev.token, body: { name } });
      expect(res.status, name).toBe(400);
      expect(res.body.error.code).toBe("invalid_pulse_name");
    }
    const name = await createPulse();
    const again = await api("POST", "/v1/pulses", { token: (await newTenant()).token, body: { name } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("name_taken");
  });

  it("answers malformed bodies with 400 invalid_request", async () => {
    const broken = await api("POST", "/v1/pulses", { token: dev.token, rawBody: "{not json" });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe("invalid_request");
    const wrongType = await api("POST", "/v1/pulses", { token: dev.token, body: { name: 42 } });
    expect(wrongType.status).toBe(400);
  });
});

describe("versions and deployments", () => {
  it("builds a two-file TypeScript pulse, deploys it, and serves it at once", async () => {
    const name = await createPulse();
    const res = await upload(name, { ...greeter("one"), deploy: true });
    expect(res.status).toBe(201);
    expect(res.body.version.id).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.version.sizeBytes).toBeGreaterThan(0);
    expect(res.body.version.active).toBe(true);
    expect(res.body.buildMs).toBeGreaterThanOrEqual(0);
    expect(res.body.reused).toBe(false);
    expect(res.body.deployment).toMatchObject({
      versionId: res.body.version.id,
      kind: "deploy",
      previousVersionId: null,
    });
    // No wait: the deploy call has returned, the new version serves.
    expect(await serve(name)).toEqual({ message: "hello, ada", variant: "one" });
  });

  it("keeps serving the previous version until the next deployment, then switches", async () => {
    const name = await createPulse();
    const first = await upload(name, { ...greeter("one"), deploy: true });
    const second = await upload(name, greeter("two"));
    expect(second.status).toBe(201);
    expect(second.body.deployment).toBeNull();
    expect(second.body.version.active).toBe(false);
    expect((await serve(name)).variant).toBe("one");
    const deployed = await api("POST", `/v1/pulses/${name}/deployments`, {
      token: dev.token,
      body: { versionId: second.body.version.id },
    });
    expect(deployed.status).toBe(200);
    expect(deployed.body).toMatchObject({
      changed: true,
      deployment: { versionId: second.body.version.id, previousVersionId: first.body.version.id },
    });
    expect((await serve(name)).variant).toBe("two");
    // Deploying what is live changes nothing and writes no history.
    const again = await api("POST", `/v1/pulses/${name}/deployments`, {
      token: dev.token,
      body: { versionId: second.body.version.id },
    });
    expect(again.body.changed).toBe(false);
    expect((await api("GET", `/v1/pulses/${name}/deployments`, { token: dev.token })).body.deployments).toHaveLength(2);
  });

  it("returns the same version for identical source and stores nothing twice", async () => {
    const name = await createPulse();
    const a = await upload(name, greeter("same"));
    const b = await upload(name, greeter("same"));
    expect(b.body.version.id).toBe(a.body.version.id);
    expect(b.body.reused).toBe(true);
    expect(b.body.buildMs).toBe(0);
    const pulseId = (await api("GET", `/v1/pulses/${name}`, { token: dev.token })).body.id;
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM versions WHERE pulse_id = ?1").bind(pulseId).first("n"),
    ).toBe(1);
    const listed = await env.BUNDLES.list({ prefix: `bundles/${a.body.version.id}` });
    expect(listed.objects).toHaveLength(1);
  });

  it("lists versions newest first with the active one marked", async () => {
    const name = await createPulse();
    const one = await upload(name, { ...greeter("one"), deploy: true });
    const two = await upload(name, greeter("two"));
    const versions = (await api("GET", `/v1/pulses/${name}/versions`, { token: dev.token })).body.versions;
    expect(versions.map((v: any) => v.id).sort()).toEqual([one.body.version.id, two.body.version.id].sort());
    expect(versions.find((v: any) => v.id === one.body.version.id).active).toBe(true);
    expect(versions.find((v: any) => v.id === two.body.version.id).active).toBe(false);
    expect(versions[0].createdBy).toBe(`dev-of-${dev.name}`);
  });

  it("rolls back to the previous version, and to a named one by prefix", async () => {
    const name = await createPulse();
    const one = await upload(name, { ...greeter("one"), deploy: true });
    await upload(name, { ...greeter("two"), deploy: true });
    await upload(name, { ...greeter("three"), deploy: true });
    expect((await serve(name)).variant).toBe("three");

    const back = await api("POST", `/v1/pulses/${name}/rollback`, { token: dev.token });
    expect(back.status).toBe(200);
    expect(back.body.deployment.kind).toBe("rollback");
    expect((await serve(name)).variant).toBe("two");

    const named = await api("POST", `/v1/pulses/${name}/rollback`, {
      token: dev.token,
      body: { versionId: one.body.version.id.slice(0, 10) },
    });
    expect(named.status).toBe(200);
    expect((await serve(name)).variant).toBe("one");

    const history = (await api("GET", `/v1/pulses/${name}/deployments`, { token: dev.token })).body.deployments;
    expect(history.map((d: any) => d.kind)).toEqual(["rollback", "rollback", "deploy", "deploy", "deploy"]);
    const unknown = await api("POST", `/v1/pulses/${name}/rollback`, {
      token: dev.token,
      body: { versionId: "0000000" },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("version_not_found");
  });

  it("refuses a rollback when there is nothing to go back to", async () => {
    const name = await createPulse();
    let res = await api("POST", `/v1/pulses/${name}/rollback`, { token: dev.token });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("no_previous_version");
    await upload(name, { ...greeter("only"), deploy: true });
    res = await api("POST", `/v1/pulses/${name}/rollback`, { token: dev.token });
    expect(res.body.error.code).toBe("no_previous_version");
  });

  it("ends concurrent deployments with one consistent active version", async () => {
    const name = await createPulse();
    const ids: string[] = [];
    for (const v of ["a", "b", "c", "d"]) ids.push((await upload(name, greeter(v))).body.version.id);
    const results = await Promise.all(
      ids.map((versionId) => api("POST", `/v1/pulses/${name}/deployments`, { token: dev.token, body: { versionId } })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const pulse = (await api("GET", `/v1/pulses/${name}`, { token: dev.token })).body;
    const history = (await api("GET", `/v1/pulses/${name}/deployments`, { token: dev.token })).body.deployments;
    expect(history).toHaveLength(4);
    // The newest history row is the live version, and each row's "previous" is the row before it.
    expect(history[0].versionId).toBe(pulse.activeVersionId);
    for (let i = 0; i < history.length - 1; i++) expect(history[i].previousVersionId).toBe(history[i + 1].versionId);
    const served = (await serve(name)).variant;
    expect(ids[["a", "b", "c", "d"].indexOf(served)]).toBe(pulse.activeVersionId);
  });
});

describe("build errors are answers", () => {
  it("answers a syntax error with 422 and esbuild's position", async () => {
    const name = await createPulse();
    const res = await upload(name, {
      files: {
        "index.ts": 'import { x } from "./lib/x";\nexport default async function run() { return x; }\n',
        "lib/x.ts": "export const x = {;\n",
      },
      main: "index.ts",
      deploy: true,
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("build_failed");
    expect(res.body.error.details.diagnostics[0]).toMatchObject({ file: "lib/x.ts", line: 1, column: 19 });
    expect(res.body.error.message).toContain("lib/x.ts:1:19");
    // A failed build changes nothing.
    expect((await api("GET", `/v1/pulses/${name}`, { token: dev.token })).body.activeVersionId).toBeNull();
    expect((await api("GET", `/v1/pulses/${name}/versions`, { token: dev.token })).body.versions).toEqual([]);
  });

  it("answers a TypeScript-only syntax error in the right file", async () => {
    const name = await createPulse();
    const res = await upload(name, {
      files: { "index.ts": "export default async function run(input: ) {}\n" },
      main: "index.ts",
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.diagnostics[0]).toMatchObject({ file: "index.ts", line: 1 });
  });

  it("explains how to ship npm dependencies when a bare import is used", async () => {
    const name = await createPulse();
    const res = await upload(name, {
      files: { "index.ts": 'import _ from "lodash";\nexport default async function run() { return _.VERSION; }\n' },
      main: "index.ts",
    });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/Cannot import "lodash".*Bundle npm dependencies/);
    expect(res.body.error.details.diagnostics[0]).toMatchObject({ file: "index.ts", line: 1 });
  });

  it("refuses missing imports, path traversal, odd names, missing main, too many files and too much source", async () => {
    const name = await createPulse();
    const missing = await upload(name, {
      files: { "index.ts": 'import "./nope";\nexport default () => 1;' },
      main: "index.ts",
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toMatch(/Cannot find "nope"/);

    const cases: [Record<string, string>, string, RegExp][] = [
      [{ "../escape.ts": "x", "index.ts": "x" }, "index.ts", /path traversal/],
      [{ "/abs.ts": "x", "index.ts": "x" }, "index.ts", /relative/],
      [{ "a\\b.ts": "x", "index.ts": "x" }, "index.ts", /forward slashes/],
      [{ ".hidden.ts": "x", "index.ts": "x" }, "index.ts", /may only use/],
      [{ "index.ts": "x" }, "main.ts", /not among the uploaded files/],
      [{ "index.py": "x" }, "index.py", /file type not supported/],
      [
        Object.fromEntries(Array.from({ length: MAX_FILES + 1 }, (_, i) => [`f${i}.ts`, "x"])),
        "f0.ts",
        /too many files/,
      ],
      [{ "index.ts": "x".repeat(MAX_SOURCE_BYTES + 1) }, "index.ts", /source is too large/],
    ];
    for (const [files, main, message] of cases) {
      const res = await upload(name, { files, main });
      expect(res.status, String(message)).toBe(422);
      expect(res.body.error.code).toBe("source_invalid");
      expect(res.body.error.message).toMatch(message);
    }
    expect((await api("GET", `/v1/pulses/${name}/versions`, { token: dev.token })).body.versions).toEqual([]);
  });

  it("refuses an upload body beyond the limit without reading it", async () => {
    const name = await createPulse();
    const res = await upload(name, {
      // Past the body limit of deployer/routes/versions.ts: escaped source plus base64 static files.
      files: {
        "index.ts": "x".repeat(MAX_SOURCE_BYTES * 2 + Math.ceil((MAX_STATIC_TOTAL_BYTES_ANY_PLAN * 4) / 3) + 300_000),
      },
      main: "index.ts",
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });
});

describe("delete", () => {
  it("stops serving at once, removes KV keys and history, and frees the name", async () => {
    const name = await createPulse();
    const deployed = await upload(name, {
      files: {
        "index.ts":
          'export default async function run(input: any, env: any) {\n  if (input.write) await env.kv.put("k-" + input.write, "v");\n  return { keys: (await env.kv.list()).keys.length };\n}\n',
      },
      main: "index.ts",
      deploy: true,
    });
    expect(deployed.status).toBe(201);
    for (const n of [1, 2, 3]) await serve(name, `/?write=${n}`);
    const pulseId = (await api("GET", `/v1/pulses/${name}`, { token: dev.token })).body.id;
    expect((await env.PULSE_KV.list({ prefix: `vibe:${pulseId}:` })).keys).toHaveLength(3);

    const deleted = await api("DELETE", `/v1/pulses/${name}`, { token: dev.token });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ deleted: true, name, kvKeysDeleted: 3 });
    const gone = await callHost(`${name}.${BASE}`);
    expect(gone.status).toBe(404);
    expect((await gone.json<any>()).error.code).toBe("pulse_not_found");
    expect((await env.PULSE_KV.list({ prefix: `vibe:${pulseId}:` })).keys).toHaveLength(0);
    for (const table of ["pulses WHERE id", "versions WHERE pulse_id", "deployments WHERE pulse_id"]) {
      expect(await env.DB.prepare(`SELECT count(*) AS n FROM ${table} = ?1`).bind(pulseId).first("n")).toBe(0);
    }

    // The name is free, and the new pulse starts empty (a new VIBE_ID, so none of the old data).
    const reborn = await api("POST", "/v1/pulses", { token: dev.token, body: { name } });
    expect(reborn.status).toBe(201);
    expect(reborn.body.id).not.toBe(pulseId);
    await upload(name, {
      files: deployed.body
        ? {
            "index.ts":
              "export default async function run(_: any, env: any) { return { keys: (await env.kv.list()).keys.length }; }\n",
          }
        : {},
      main: "index.ts",
      deploy: true,
    });
    expect(await serve(name)).toEqual({ keys: 0 });
  });
});

describe("audit log", () => {
  it("records every mutating call with who, what and the outcome, refused ones included", async () => {
    // A tenant of its own: the uploads of the tests above spend this file's token's build allowance.
    const auditee = await newTenant();
    const name = uniqueName("audit");
    expect((await api("POST", "/v1/pulses", { token: auditee.token, body: { name } })).status).toBe(201);
    const built = await api("POST", `/v1/pulses/${name}/versions`, {
      token: auditee.token,
      body: { files: { "index.ts": "export default () => {" }, main: "index.ts" },
    });
    expect(built.status).toBe(422);
    await api("POST", `/v1/pulses/${name}/rollback`, { token: "bad.token.here" });
    const rows = (
      await env.DB.prepare(
        "SELECT actor, role, tenant_id, action, status, outcome FROM audit_log WHERE action LIKE ?1 ORDER BY id",
      )
        .bind(`%/${name}/%`)
        .all()
    ).results;
    expect(rows).toEqual([
      {
        actor: `dev-of-${auditee.name}`,
        role: "developer",
        tenant_id: auditee.id,
        action: `POST /v1/pulses/${name}/versions`,
        status: 422,
        outcome: "build_failed",
      },
      {
        actor: null,
        role: null,
        tenant_id: null,
        action: `POST /v1/pulses/${name}/rollback`,
        status: 401,
        outcome: "token_invalid",
      },
    ]);
    const created = await env.DB.prepare(
      "SELECT outcome, status FROM audit_log WHERE action = 'POST /v1/pulses' AND actor = ?1 ORDER BY id DESC LIMIT 1",
    )
      .bind(`dev-of-${auditee.name}`)
      .first();
    expect(created).toEqual({ outcome: "ok", status: 201 });
    // Reads are not audited.
    expect((await api("GET", `/v1/pulses/${name}`, { token: auditee.token })).status).toBe(200);
    expect(
      await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = ?1")
        .bind(`GET /v1/pulses/${name}`)
        .first("n"),
    ).toBe(0);
  });
});

describe("API description", () => {
  it("serves an OpenAPI document covering every endpoint, and a readable docs page", async () => {
    const spec = await api("GET", "/v1/openapi.json");
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe("3.0.3");
    const operations = Object.entries(spec.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual([
      "DELETE /v1/admin/domains/{hostname}",
      "DELETE /v1/admin/pulses/{pulse}/quarantine",
      "DELETE /v1/admin/tenants/{tenant}",
      "DELETE /v1/pulses/{name}",
      "DELETE /v1/pulses/{name}/connections/{secret}",
      "DELETE /v1/pulses/{name}/domains/{hostname}",
      "DELETE /v1/pulses/{name}/files/{path}",
      "DELETE /v1/pulses/{name}/secrets/{secret}",
      "GET /v1/admin/approvals",
      "GET /v1/admin/approvals/{id}",
      "GET /v1/admin/domains",
      "GET /v1/admin/plans",
      "GET /v1/admin/plans/{plan}",
      "GET /v1/admin/plans/{plan}/egress",
      "GET /v1/admin/runtime/cells",
      "GET /v1/admin/tenants",
      "GET /v1/admin/tenants/{tenant}",
      "GET /v1/admin/tenants/{tenant}/agent-policy",
      "GET /v1/admin/tenants/{tenant}/approval-policy",
      "GET /v1/admin/tenants/{tenant}/egress",
      "GET /v1/admin/usage",
      "GET /v1/pulses",
      "GET /v1/pulses/{name}",
      "GET /v1/pulses/{name}/approvals",
      "GET /v1/pulses/{name}/canary",
      "GET /v1/pulses/{name}/connections",
      "GET /v1/pulses/{name}/deployments",
      "GET /v1/pulses/{name}/domains",
      "GET /v1/pulses/{name}/egress",
      "GET /v1/pulses/{name}/export",
      "GET /v1/pulses/{name}/files",
      "GET /v1/pulses/{name}/files/{path}",
      "GET /v1/pulses/{name}/logs",
      "GET /v1/pulses/{name}/schedules",
      "GET /v1/pulses/{name}/secrets",
      "GET /v1/pulses/{name}/usage",
      "GET /v1/pulses/{name}/versions",
      "GET /v1/pulses/{name}/versions/{id}",
      "GET /v1/pulses/{name}/versions/{version}/source",
      "GET /v1/usage",
      "GET /v1/whoami",
      "PATCH /v1/admin/plans/{plan}",
      "PATCH /v1/admin/tenants/{tenant}",
      "POST /v1/admin/approvals/{id}/approve",
      "POST /v1/admin/approvals/{id}/reject",
      "POST /v1/admin/domains/{hostname}/verify",
      "POST /v1/admin/plans",
      "POST /v1/admin/pulses/{pulse}/quarantine",
      "POST /v1/admin/runtime/probation",
      "POST /v1/admin/tenants",
      "POST /v1/admin/tenants/{tenant}/resume",
      "POST /v1/admin/tenants/{tenant}/suspend",
      "POST /v1/admin/tenants/{tenant}/tokens",
      "POST /v1/pulses",
      "POST /v1/pulses/{name}/builds",
      "POST /v1/pulses/{name}/deployments",
      "POST /v1/pulses/{name}/domains",
      "POST /v1/pulses/{name}/domains/{hostname}/verify",
      "POST /v1/pulses/{name}/files/{path}/rename",
      "POST /v1/pulses/{name}/invoke",
      "POST /v1/pulses/{name}/rollback",
      "POST /v1/pulses/{name}/versions",
      "POST /v1/pulses/{name}/versions/from-files",
      "POST /v1/pulses/{name}/versions/{version}/preview",
      "PUT /v1/admin/plans/{plan}/egress",
      "PUT /v1/admin/tenants/{tenant}/agent-policy",
      "PUT /v1/admin/tenants/{tenant}/approval-policy",
      "PUT /v1/admin/tenants/{tenant}/egress",
      "PUT /v1/pulses/{name}/connections/{secret}",
      "PUT /v1/pulses/{name}/egress",
      "PUT /v1/pulses/{name}/files/{path}",
      "PUT /v1/pulses/{name}/schedules",
      "PUT /v1/pulses/{name}/secrets/{secret}",
    ]);
    expect(spec.body.components.schemas.Upload.properties.files).toBeDefined();
    const docs = await api("GET", "/v1/docs");
    expect(docs.status).toBe(200);
    expect(docs.body).toContain("<code>/v1/pulses/{name}/rollback</code>");
  });
});
