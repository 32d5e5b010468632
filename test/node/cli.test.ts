// The `pulse` CLI as a developer runs it: a subprocess against the run's shared platform, as a tenant of its own.

import { spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliRunner } from "./support/cli-process.ts";
import { controlApi, freePort, get, ROOT } from "./support/platform-process.ts";
import { platformTenant, type PlatformTenant } from "./support/shared-platform.ts";

let port: number;
let home: string;
let tenant: PlatformTenant;
let token: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "pulse-cli-home-"));
  tenant = await platformTenant("cli");
  ({ port, token } = tenant);
  ({ pulse, json } = cliRunner(join(home, "config")));
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

let pulse: ReturnType<typeof cliRunner>["pulse"];
let json: ReturnType<typeof cliRunner>["json"];

/** The raw bytes and content type of a GET to the platform with this Host (no text decoding on the way). */
function getBytes(host: string, path: string): Promise<{ type: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ type: res.headers["content-type"], body: Buffer.concat(chunks) }));
    });
    req.on("error", reject).end();
  });
}

/** Recordings reach the store in batches after each answer: `pulse preview` until it replays `inputs` (bounded). */
async function previewOnceRecorded(name: string, inputs: number): Promise<any> {
  let report: any;
  for (let i = 0; i < 50; i++) {
    report = json(["preview", name]).body;
    if (report?.summary?.inputs >= inputs) return report;
    await new Promise((r) => setTimeout(r, 100));
  }
  return report;
}

describe("pulse CLI", () => {
  it("logs in, stores the token 0600, and knows who you are", async () => {
    const login = pulse(["login", "--url", `http://127.0.0.1:${port}`, "--token", token]);
    expect(login.code).toBe(0);
    expect(login.stdout).toContain("Logged in");
    expect((await stat(join(home, "config/config.json"))).mode & 0o777).toBe(0o600);
    expect(json(["whoami"]).body).toMatchObject({
      role: "developer",
      sub: `${tenant.name}-developer`,
      tenant: tenant.name,
    });
    const bad = pulse(["login", "--url", `http://127.0.0.1:${port}`, "--token", "not.a.token"]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/token/);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack without --debug
  });

  it("goes from init to a live pulse, shows its logs, rolls back, keeps secrets, deletes", async () => {
    const dir = join(home, "hello");
    expect(pulse(["init", dir, "--name", "hello-cli"]).code).toBe(0);
    expect(await readFile(join(dir, "pulse.d.ts"), "utf8")).toContain("interface PulseEnv");

    const first = json(["deploy", dir]);
    expect(first.code).toBe(0);
    expect(first.body.url).toBe(`http://hello-cli.pulses.localhost:${port}`);
    const v1 = first.body.version.id as string;

    const invoked = json(["invoke", "hello-cli", '{"name":"ada"}']);
    expect(invoked.body).toMatchObject({ status: 200, body: { hello: "ada", visits: 1 } });
    const requestId = invoked.body.requestId as string;

    let logs = "";
    for (let i = 0; i < 40 && !logs.includes(requestId); i++) {
      logs = pulse(["logs", "hello-cli"]).stdout;
      if (!logs.includes(requestId)) await new Promise((r) => setTimeout(r, 100));
    }
    expect(logs).toContain(`request ${requestId} visit 1`);

    // v2 calls a host v1 did not and drops KV: the deploy says what changed.
    await writeFile(
      join(dir, "index.ts"),
      'export default async function run(input: { ping?: string }) {\n  if (input.ping) await fetch("https://upstream.test/echo");\n  return { version: 2 };\n}\n',
    );
    const second = pulse(["deploy", dir]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("now also calls upstream.test");
    expect(json(["invoke", "hello-cli"]).body.body).toEqual({ version: 2 });
    const back = json(["rollback", "hello-cli"]);
    expect(back.body.deployment.versionId).toBe(v1);
    expect(json(["invoke", "hello-cli"]).body.body).toMatchObject({ hello: "world" });
    expect(json(["versions", "hello-cli"]).body.find((v: any) => v.active).id).toBe(v1);

    const set = pulse(["secrets", "set", "hello-cli", "API_KEY", "--host", "upstream.test"], "sk_from_stdin_123456\n");
    expect(set.code).toBe(0);
    const listed = json(["secrets", "list", "hello-cli"]);
    expect(listed.body).toEqual([expect.objectContaining({ name: "API_KEY", hosts: ["upstream.test"] })]);
    expect(listed.stdout).not.toContain("sk_from_stdin");
    // A signing-only secret: no host, env.crypto may sign with it.
    expect(pulse(["secrets", "set", "hello-cli", "HOOK", "--sign"], "whsec_from_stdin_123456\n").code).toBe(0);
    expect(pulse(["secrets", "set", "hello-cli", "NOWHERE"], "value_from_stdin_123456\n").code).toBe(2);
    expect(json(["secrets", "list", "hello-cli"]).body).toContainEqual(
      expect.objectContaining({ name: "HOOK", hosts: [], allowSigning: true }),
    );

    expect(pulse(["delete", "hello-cli"]).code).toBe(2); // asks for --yes
    expect(json(["delete", "hello-cli", "--yes"]).body).toMatchObject({ deleted: true });
    expect(pulse(["invoke", "hello-cli"]).code).toBe(1);
  });

  it("pulse logs --tail shows a request's console line within a second of the request", async () => {
    const dir = join(home, "tail");
    expect(pulse(["init", dir, "--name", "tail-cli"]).code).toBe(0);
    expect(pulse(["deploy", dir]).code).toBe(0);
    const request = async () => {
      const sent = Date.now();
      const res = await get(port, "tail-cli.pulses.localhost");
      return { sent, visits: JSON.parse(res.body).visits as number };
    };
    await request(); // so the tail's first page has a line: once it is printed, the live stream opens
    // The line reaches the log store a moment after the answer (batched in the cell, then in the dispatcher); a
    // page read before that misses it for good, since the stream brings only newer lines (CI on a busy machine).
    const stored = async () =>
      (await controlApi(port, token, "GET", "/v1/pulses/tail-cli/logs?limit=100")).body.logs as { message: string }[];
    for (let i = 0; i < 100 && !(await stored()).some((e) => e.message.endsWith(" visit 1")); i++)
      await new Promise((r) => setTimeout(r, 100));

    const tail = spawn(process.execPath, [join(ROOT, "cli/main.ts"), "logs", "tail-cli", "--tail", "--json"], {
      env: { ...process.env, PULSE_CONFIG_DIR: join(home, "config"), NO_COLOR: "1" },
      detached: true,
    });
    const lines: { at: number; entry: { level: string; message: string } }[] = [];
    let buffer = "";
    tail.stdout!.on("data", (chunk) => {
      buffer += chunk;
      for (let end = buffer.indexOf("\n"); end !== -1; end = buffer.indexOf("\n")) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (line.trim()) lines.push({ at: Date.now(), entry: JSON.parse(line) });
      }
    });
    const lineFor = async (visits: number, waitMs: number) => {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const hit = lines.find((l) => l.entry.level === "log" && l.entry.message.endsWith(` visit ${visits}`));
        if (hit || Date.now() > deadline) return hit;
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    try {
      expect(await lineFor(1, 20_000)).toBeDefined(); // the first page
      // The stream opens right after the page: warm up until a new request's line arrives through it.
      let streaming = false;
      for (let i = 0; i < 20 && !streaming; i++)
        streaming = (await lineFor((await request()).visits, 1000)) !== undefined;
      expect(streaming).toBe(true);
      const { sent, visits } = await request();
      const hit = await lineFor(visits, 1000);
      expect(hit, "the request's line reached the tail").toBeDefined();
      expect(hit!.at - sent).toBeLessThan(1000);
    } finally {
      try {
        process.kill(-tail.pid!, "SIGKILL");
      } catch {
        // gone
      }
    }
  }, 90_000);

  it("shows a pulse's schedule, refuses one the plan does not allow, overrides and pauses it", async () => {
    const dir = join(home, "ticker");
    expect(pulse(["init", dir, "--name", "ticker-cli"]).code).toBe(0);
    await writeFile(
      join(dir, "index.ts"),
      'export const schedule = "*/10 * * * *";\nexport async function scheduled() {}\nexport default async function run() { return {}; }\n',
    );
    expect(json(["deploy", dir]).code).toBe(0);
    const shown = json(["schedules", "ticker-cli"]);
    expect(shown.body).toMatchObject({
      source: "version",
      schedule: ["*/10 * * * *"],
      paused: false,
      minIntervalSeconds: 300,
    });
    expect(shown.body.nextRunAt).not.toBeNull();
    expect(pulse(["schedules", "ticker-cli"]).stdout).toContain("*/10 * * * *  from the live version, UTC");

    const refused = pulse(["schedules", "ticker-cli", "--set", "* * * * *"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("schedule_too_frequent");
    const over = json(["schedules", "ticker-cli", "--set", "0 * * * *", "30 2 * * 1", "--pause"]);
    expect(over.body).toMatchObject({
      source: "override",
      schedule: ["0 * * * *", "30 2 * * 1"],
      paused: true,
      nextRunAt: null,
    });
    expect(json(["schedules", "ticker-cli", "--clear", "--resume"]).body).toMatchObject({
      source: "version",
      paused: false,
    });
    expect(pulse(["schedules", "ticker-cli", "--pause", "--resume"]).code).toBe(2);
    expect(json(["delete", "ticker-cli", "--yes"]).body).toMatchObject({ deleted: true });
  });

  it("edits the files workspace file by file (binary too) and deploys from it", async () => {
    const name = "files-cli";
    expect((await controlApi(port, token, "POST", "/v1/pulses", { name })).status).toBe(201);
    const dir = join(home, "files");
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, "index.ts"),
      'export default async function run() {\n  return { from: "workspace" };\n}\n',
    );
    // Not UTF-8 (0xff, 0xfe, a lone 0x80) and with a NUL: any text decoding on the way would change it.
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x80, 0x7f]);
    await writeFile(join(dir, "logo.png"), bytes);

    expect(json(["files", "put", name, "index.ts", join(dir, "index.ts")]).body).toMatchObject({ path: "index.ts" });
    expect(json(["files", "put", name, "public/logo.png", join(dir, "logo.png")]).body.size).toBe(bytes.length);
    expect(pulse(["files", "put", name, "notes.txt"], "from stdin").code).toBe(0);
    expect(pulse(["files", "get", name, "notes.txt"]).stdout).toBe("from stdin");
    const copy = join(dir, "copy.png");
    expect(pulse(["files", "get", name, "public/logo.png", "--out", copy]).code).toBe(0);
    expect(Buffer.compare(await readFile(copy), bytes)).toBe(0);

    expect(json(["files", "mv", name, "public/logo.png", "public/img/logo.png"]).body.path).toBe("public/img/logo.png");
    expect(json(["files", "rm", name, "notes.txt"]).body).toMatchObject({ deleted: true });
    const missing = pulse(["files", "rm", name, "notes.txt"]);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining("file_not_found")]);
    const listed = json(["files", "ls", name]).body.map((f: { path: string }) => f.path);
    expect(listed).toEqual(["index.ts", "public/img/logo.png"]);

    expect(pulse(["deploy", "--from-workspace", "--name", name, "--preview"]).code).toBe(2);
    expect(pulse(["deploy", "--from-workspace", "--name", name, "--canary", "10"]).code).toBe(2);
    const deployed = json(["deploy", "--from-workspace", "--name", name]);
    expect(deployed.code, deployed.stdout).toBe(0);
    expect(deployed.body).toMatchObject({ version: { active: true }, url: `http://${name}.pulses.localhost:${port}` });
    const served = await getBytes(`${name}.pulses.localhost`, "/img/logo.png");
    expect(served.type).toBe("image/png");
    expect(Buffer.compare(served.body, bytes)).toBe(0);
    expect(JSON.parse((await get(port, `${name}.pulses.localhost`, "/")).body)).toEqual({ from: "workspace" });
    // The file's tenant is on the free plan (5 pulses): the tests after this one need room.
    expect(json(["delete", name, "--yes"]).body).toMatchObject({ deleted: true });
  });

  it("shows build errors with a code frame and exits 4", async () => {
    const dir = join(home, "broken");
    pulse(["init", dir, "--name", "broken-cli"]);
    await writeFile(join(dir, "index.ts"), "export default async function run() {\n  return { ok: true ;\n}\n");
    const res = pulse(["deploy", dir]);
    expect(res.code).toBe(4);
    expect(res.stderr).toContain("index.ts:2:");
    expect(res.stderr).toContain("  return { ok: true ;");
    expect(res.stderr).toMatch(/\|\s+\^/);
  });

  it("bundles npm dependencies locally before upload", async () => {
    const dir = join(home, "withdeps");
    pulse(["init", dir, "--name", "withdeps-cli"]);
    // A tiny local package stands in for an npm dependency (no registry access needed in the test).
    await writeFile(
      join(dir, "package.json"),
      JSON.stringify({ name: "withdeps", dependencies: { "left-pad-lite": "1.0.0" } }),
    );
    const pkg = join(dir, "node_modules/left-pad-lite");
    await import("node:fs/promises").then((fs) => fs.mkdir(pkg, { recursive: true }));
    await writeFile(
      join(pkg, "package.json"),
      JSON.stringify({ name: "left-pad-lite", version: "1.0.0", main: "index.js" }),
    );
    await writeFile(join(pkg, "index.js"), "module.exports = (s, n) => String(s).padStart(n, '0');\n");
    await writeFile(
      join(dir, "index.ts"),
      'import pad from "left-pad-lite";\nexport default async function run() { return { padded: pad(7, 3) }; }\n',
    );
    expect(pulse(["deploy", dir]).code).toBe(0);
    expect(json(["invoke", "withdeps-cli"]).body.body).toEqual({ padded: "007" });
  });

  it("pulse dev reloads on save", async () => {
    const dir = join(home, "devloop");
    pulse(["init", dir, "--name", "devloop"]);
    await writeFile(join(dir, "index.ts"), "export default async function run() { return { rev: 1 }; }\n");
    const devPort = await freePort();
    const dev = spawn(process.execPath, [join(ROOT, "cli/main.ts"), "dev", dir, "--port", String(devPort)], {
      env: { ...process.env, NO_COLOR: "1" },
      detached: true,
    });
    let output = "";
    dev.stdout!.on("data", (c) => (output += c));
    dev.stderr!.on("data", (c) => (output += c));
    try {
      // Its own platform's start: up to a minute on a busy 2-core machine.
      for (let i = 0; i < 300 && !output.includes("is running"); i++) await new Promise((r) => setTimeout(r, 250));
      expect(output).toContain("is running");
      expect(JSON.parse((await get(devPort, "devloop.pulses.localhost")).body)).toEqual({ rev: 1 });
      await writeFile(join(dir, "index.ts"), "export default async function run() { return { rev: 2 }; }\n");
      let body = "";
      for (let i = 0; i < 60 && !body.includes('"rev":2'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        body = (await get(devPort, "devloop.pulses.localhost")).body;
      }
      expect(JSON.parse(body)).toEqual({ rev: 2 });
    } finally {
      try {
        process.kill(-dev.pid!, "SIGKILL");
      } catch {
        // gone
      }
    }
  }, 150_000);

  it("starts a new version as a canary beside the live one (deploy --canary) and shows it (pulse canary)", async () => {
    const dir = join(home, "canaried");
    pulse(["init", dir, "--name", "canaried-cli"]);
    expect(pulse(["deploy", dir]).code).toBe(0);
    await writeFile(join(dir, "index.ts"), "export default async function run() { return { v: 2 }; }\n");
    for (const bad of ["0", "51", "ten", "5.5"]) expect(pulse(["deploy", dir, "--canary", bad]).code).toBe(2);
    expect(pulse(["deploy", dir, "--canary", "10", "--no-promote"]).code).toBe(2);

    const started = json(["deploy", dir, "--canary", "10"]);
    expect(started.code).toBe(0);
    expect(started.body.deployment).toBeNull();
    expect(started.body.canary).toMatchObject({ share: 10, status: "open", versionId: started.body.version.id });
    const shown = pulse(["canary", "canaried-cli"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`canary ${started.body.version.id.slice(0, 12)} serves 10% of clients`);
    expect(shown.stdout).toContain("waiting for 100 requests on each side");
    expect(json(["delete", "canaried-cli", "--yes"]).body).toMatchObject({ deleted: true });
  }, 60_000);

  it("replays recent traffic against a new version before promoting it (deploy --preview)", async () => {
    const dir = join(home, "previewed");
    pulse(["init", dir, "--name", "previewed-cli"]);
    await writeFile(
      join(dir, "index.ts"),
      "export default async function run(input: any) { return { doubled: Number(input.n) * 2 }; }\n",
    );
    const first = pulse(["deploy", dir]);
    expect(first.code, first.stderr).toBe(0);
    for (const n of [1, 2, 3])
      expect(json(["invoke", "previewed-cli", JSON.stringify({ n })]).body.body).toEqual({ doubled: n * 2 });
    expect((await previewOnceRecorded("previewed-cli", 3)).summary).toMatchObject({ inputs: 3, changed: 0 });

    await writeFile(
      join(dir, "index.ts"),
      "export default async function run(input: any) { return { doubled: Number(input.n) * (input.n === 2 ? 3 : 2) }; }\n",
    );
    // No terminal to ask on and no --yes: the preview is shown, the version is uploaded but not made live.
    const asked = pulse(["deploy", dir, "--preview"]);
    expect(asked.code).toBe(2);
    expect(asked.stdout).toContain("1 of 3 outputs would change");
    expect(asked.stdout).toContain("body.doubled: 4 -> 6");
    expect(asked.stderr).toContain("--yes");
    expect(json(["invoke", "previewed-cli", '{"n":2}']).body.body).toEqual({ doubled: 4 });

    expect((await previewOnceRecorded("previewed-cli", 4)).summary).toMatchObject({ replayed: 4, changed: 2 });
    const promoted = json(["deploy", dir, "--preview", "--yes"]);
    expect(promoted.code).toBe(0);
    expect(promoted.body.preview.summary).toMatchObject({ replayed: 4, changed: 2, candidateErrors: 0 });
    expect(promoted.body.deployment.versionId).toBe(promoted.body.version.id);
    expect(json(["invoke", "previewed-cli", '{"n":2}']).body.body).toEqual({ doubled: 6 });
  }, 90_000);
});
