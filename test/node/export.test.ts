// `pulse export` end to end: pulses deployed through the CLI on the run's shared platform are exported,
// the projects pass `wrangler deploy --dry-run`, their data is imported with the commands their README gives
// (offline, --local), and the Worker wrangler built serves the same answers under Miniflare as the pulse does
// on the platform. Covers a source export with KV and a secret, the seeded counter and a SQL pulse on a pro
// tenant.

import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callPulse } from "../../cli/pulse-http.ts";
import { cliRunner } from "./support/cli-process.ts";
import { ROOT } from "./support/platform-process.ts";
import { platformTenant, sharedPlatform, type PlatformTenant } from "./support/shared-platform.ts";
import { runExported, wrangler, type ExportedWorker } from "./support/standalone.ts";

let port: number;
let home: string;
let demo: ReturnType<typeof cliRunner>;
const running: ExportedWorker[] = [];

/** A CLI logged in as a new tenant's developer. */
function loggedIn(tenant: PlatformTenant, config: string): ReturnType<typeof cliRunner> {
  const cli = cliRunner(join(home, config));
  expect(cli.pulse(["login", "--url", tenant.origin, "--token", tenant.token]).code).toBe(0);
  return cli;
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "pulse-export-"));
  const tenant = await platformTenant("export");
  port = tenant.port;
  demo = loggedIn(tenant, "demo-config");
});

afterAll(async () => {
  for (const worker of running) await worker.dispose();
  await rm(home, { recursive: true, force: true });
});

/** What an end user sees, comparable across the two: status and JSON body, request ids left out. */
async function onPlatform(name: string, path = "/", body?: string) {
  const answer = await callPulse(`http://${name}.pulses.localhost:${port}`, path, body);
  return comparable(answer.status, answer.body);
}

async function onExport(worker: ExportedWorker, path = "/", body?: string) {
  const res = await worker.fetch(
    path,
    body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body },
  );
  return comparable(res.status, await res.text());
}

function comparable(status: number, text: string) {
  const body = text ? JSON.parse(text) : null;
  if (body?.error) delete body.error.requestId;
  return { status, body };
}

/** export -> dry-run -> data import -> Miniflare, as the project's README says. */
async function exportAndRun(
  cli: ReturnType<typeof cliRunner>,
  name: string,
  options: { sql?: boolean; devVars?: string } = {},
) {
  const dir = join(home, `${name}-standalone`);
  const exported = cli.json(["export", name, dir]);
  expect(exported.code, exported.stderr).toBe(0);
  if (options.devVars) await writeFile(join(dir, ".dev.vars"), options.devVars);
  const outdir = join(home, `${name}-build`);
  const dry = wrangler(dir, ["deploy", "--dry-run", "--outdir", outdir]);
  expect(dry.code, dry.output).toBe(0);
  expect(dry.output).toContain("env.kv");
  expect(await readdir(outdir)).toContain("worker.js");
  const state = join(home, `${name}-state`);
  const kv = wrangler(dir, ["kv", "bulk", "put", "data/kv.json", "--binding", "kv", "--local", "--persist-to", state]);
  expect(kv.code, kv.output).toBe(0);
  if (options.sql) {
    const d1 = wrangler(dir, [
      "d1",
      "execute",
      `${name}-db`,
      "--local",
      "--file",
      "data/db.sql",
      "--yes",
      "--persist-to",
      state,
    ]);
    expect(d1.code, d1.output).toBe(0);
  }
  const worker = await runExported(dir, outdir, state);
  running.push(worker);
  return { dir, body: exported.body, worker };
}

const KV_PULSE = `import type { PulseContext, PulseEnv } from "./pulse";

export default async function run(input: Record<string, unknown>, env: PulseEnv, ctx: PulseContext) {
  const path = new URL(ctx.request.url).pathname;
  if (path === "/seed") {
    await env.kv.put("greeting", "héllo", { metadata: { lang: "fr" }, expirationTtl: 3600 });
    await env.kv.put("bytes", new Uint8Array([0, 255, 7]));
    return { seeded: true };
  }
  if (path === "/fail") throw new Error("internal detail that end users must not see");
  const hits = Number((await env.kv.get("hits")) ?? "0") + 1;
  await env.kv.put("hits", String(hits));
  const greeting = await env.kv.getWithMetadata("greeting");
  const bytes = await env.kv.get("bytes", "arrayBuffer");
  const listed = await env.kv.list();
  return {
    input,
    hits,
    greeting,
    bytes: bytes ? [...new Uint8Array(bytes)] : null,
    keys: listed.keys.map((k) => ({ name: k.name, metadata: k.metadata ?? null, expires: k.expiration !== undefined })),
    hasSecret: typeof env.secrets.API_KEY === "string" && env.secrets.API_KEY.length > 0,
    vibeId: env.VIBE_ID,
    method: ctx.request.method,
  };
}
`;

describe("pulse export", () => {
  it("exports a pulse from its source; the project builds and answers like the pulse, KV data and secret included", async () => {
    const project = join(home, "kv-pulse");
    expect(demo.pulse(["init", project, "--name", "kv-export"]).code).toBe(0);
    await writeFile(join(project, "index.ts"), KV_PULSE);
    expect(demo.pulse(["deploy", project]).code).toBe(0);
    expect(
      demo.pulse(["secrets", "set", "kv-export", "API_KEY", "--host", "upstream.test"], "sk_export_test_1234\n").code,
    ).toBe(0);
    expect((await onPlatform("kv-export", "/seed")).body).toEqual({ seeded: true });
    await onPlatform("kv-export", "/"); // hits = 1 before the snapshot

    const { dir, body, worker } = await exportAndRun(demo, "kv-export", { devVars: "API_KEY=sk_export_test_1234\n" });
    expect(body).toMatchObject({
      pulse: "kv-export",
      from: "source",
      secrets: ["API_KEY"],
      data: { kv: { keys: 3, complete: true }, sql: null },
    });
    expect(await readFile(join(dir, "pulse/index.ts"), "utf8")).toBe(KV_PULSE);
    expect(await readFile(join(dir, "README.md"), "utf8")).toContain("npx wrangler secret put API_KEY");
    expect(JSON.stringify(body)).not.toContain("sk_export_test_1234");

    // From the same snapshot, the same answers: query input, JSON input, KV with metadata and bytes, the error shape.
    for (const [path, input] of [
      ["/?a=1&b=2&b=3", undefined],
      ["/", JSON.stringify({ name: "ada", n: [1, 2] })],
      ["/fail", undefined],
      ["/", "{not json"],
    ] as const) {
      const platform = await onPlatform("kv-export", path, input);
      const standalone = await onExport(worker, path, input);
      expect(standalone, `${path} ${input ?? ""}`).toEqual(platform);
    }
    const last = await onExport(worker, "/");
    expect(last.body).toMatchObject({
      hits: 4,
      hasSecret: true,
      greeting: { value: "héllo", metadata: { lang: "fr" } },
      bytes: [0, 255, 7],
    });
    expect((await onExport(worker, "/fail")).body).toEqual({
      error: { code: "pulse_error", message: expect.stringContaining("request id") },
    });
  }, 180_000);

  it("exports the seeded counter from its source (seeded as any deploy) and counts on from its KV", async () => {
    // `npm start`'s own seed, in the demo tenant: no other file of the run touches it.
    const seeded = cliRunner(join(home, "seed-config"));
    const { origin, demoToken } = await sharedPlatform();
    expect(seeded.pulse(["login", "--url", origin, "--token", demoToken]).code).toBe(0);
    await onPlatform("counter");
    const { body, worker } = await exportAndRun(seeded, "counter");
    expect(body.from).toBe("source");
    for (let i = 0; i < 2; i++) expect(await onExport(worker)).toEqual(await onPlatform("counter"));
  }, 180_000);

  it("exports a SQL pulse of a pro tenant with its database as a D1 dump", async () => {
    const acme = loggedIn(await platformTenant("acme", "pro"), "acme-config");
    const project = join(home, "todo");
    await cp(join(ROOT, "examples/todo-sql"), project, { recursive: true });
    await writeFile(join(project, "pulse.json"), JSON.stringify({ name: "todo-export", main: "index.ts" }));
    expect(acme.pulse(["deploy", project]).code).toBe(0);
    for (const title of [`it's "quoted"; --`, "line\nbreak"])
      expect((await onPlatform("todo-export", "/", JSON.stringify({ title }))).status).toBe(201);
    await onPlatform("todo-export", "/done", JSON.stringify({ id: 1 }));

    const { body, worker } = await exportAndRun(acme, "todo-export", { sql: true });
    expect(body).toMatchObject({ from: "source", data: { sql: { tables: 1, rows: 2, complete: true } } });
    expect(await onExport(worker)).toEqual(await onPlatform("todo-export"));
    // AUTOINCREMENT carries on from the imported rows on both sides.
    const next = JSON.stringify({ title: "third" });
    expect(await onExport(worker, "/", next)).toEqual(await onPlatform("todo-export", "/", next));
    expect((await onExport(worker)).body.todos.map((t: { id: number }) => t.id)).toEqual([1, 2, 3]);

    // Another tenant's pulse is not found; a non-empty directory needs --force.
    const foreign = demo.pulse(["export", "todo-export", join(home, "foreign")]);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain("pulse_not_found");
    const again = acme.pulse(["export", "todo-export", join(home, "todo-export-standalone")]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("--force");
    expect(acme.pulse(["export", "todo-export", join(home, "todo-export-standalone"), "--force"]).code).toBe(0);
  }, 180_000);
});
