// Real code on a real platform: every package of the corpus (test/realworld/cases/, one pulse each) deployed
// the way `pulse deploy` does it (the CLI's local npm bundling, then the control API) and called over HTTP,
// its answer compared with what the package computes; then complete apps (test/realworld/apps/) deployed with
// the `pulse` CLI itself. The corpus is installed by `npm test`'s pretest (scripts/ensure-realworld.sh).

import { createHmac } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPECTED } from "../realworld/expected.ts";
import { controlApi } from "./support/platform-process.ts";
import { platformTenant } from "./support/shared-platform.ts";
import {
  appProject,
  callPulse,
  caseProject,
  CORPUS_DIR,
  corpusApi,
  deployLikeCli,
  pool,
  pulseCli,
  type DeployOutcome,
} from "./support/realworld.ts";

const CASES = readdirSync(join(CORPUS_DIR, "cases"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.slice(0, -3))
  .sort();
/** Deploys in flight at once: bundling and the platform's build share two cores with the rest of the suite. */
const DEPLOY_CONCURRENCY = 2;
/**
 * Tenants the corpus is spread over: a token may start 60 build units a minute (one per upload plus one per
 * 64 KiB, deployer/limits.ts) and the corpus's bundles come to ~250 units; four tenants take them in one go.
 */
const CORPUS_TENANTS = 4;
/** The secret the dev upstream expects for its issues (test/upstream/worker.ts). */
const UPSTREAM_TOKEN = "ghp_test_token_123456";

let port: number;
let home: string;
let configDir: string;
let token: string;
let deployments: Map<string, Promise<DeployOutcome>>;
/** Each app's `pulse deploy`, started together before the corpus (each CLI process starts esbuild-wasm anew). */
let appDeploys: Map<string, Promise<{ code: number; stdout: string; stderr: string }>>;
const APPS = ["heartbeat", "notes-api", "guestbook", "issues-proxy", "webhook-receiver"];
type CliRun = Awaited<ReturnType<typeof pulseCli>>;
/** The scheduled app's schedule as deployed, then overridden to every minute right away (see its test). */
let heartbeatSchedules: Promise<{ shown: CliRun; override: CliRun }>;

const pulse = (args: string[], input?: string) => pulseCli(configDir, args, input);
/** The app's deploy (started in beforeAll) succeeded, with the URL its name gives. */
const deployedApp = async (app: string) => {
  const res = await appDeploys.get(app)!;
  expect(res.code, res.stderr + res.stdout).toBe(0);
  expect(JSON.parse(res.stdout).url).toBe(`http://${app}.pulses.localhost:${port}`);
};
const json = async (args: string[], input?: string) => {
  const res = await pulse([...args, "--json"], input);
  expect(res.code, res.stderr + res.stdout).toBe(0);
  return JSON.parse(res.stdout);
};

beforeAll(async () => {
  if (!existsSync(join(CORPUS_DIR, "node_modules")))
    throw new Error("test/realworld is not installed: run scripts/ensure-realworld.sh");
  home = await mkdtemp(join(tmpdir(), "pulse-realworld-home-"));
  configDir = join(home, "config");
  // Tenants on pro (100 pulses, egress to any allowed host, runs every minute) on the run's shared platform: the
  // apps' one, and the corpus spread over CORPUS_TENANTS, since the control API allows each token and tenant so
  // many builds a minute.
  const apps = await platformTenant("apps", "pro");
  ({ port, token } = apps);
  expect((await pulse(["login", "--url", apps.origin, "--token", token])).code).toBe(0);
  const apis = await Promise.all(
    Array.from({ length: CORPUS_TENANTS }, async (_, i) =>
      corpusApi(port, (await platformTenant(`corpus-${i}`, "pro")).token),
    ),
  );

  // The apps first: the scheduled one needs a minute of wall time, spent while the corpus deploys.
  appDeploys = new Map(APPS.map((app) => [app, appProject(app, home).then((dir) => pulse(["deploy", dir, "--json"]))]));
  heartbeatSchedules = appDeploys.get("heartbeat")!.then(async () => ({
    shown: await pulse(["schedules", "heartbeat", "--json"]),
    // Up to five minutes is too long to wait in a test: every minute is the pro plan's minimum.
    override: await pulse(["schedules", "heartbeat", "--set", "* * * * *", "--json"]),
  }));
  deployments = pool(CASES, DEPLOY_CONCURRENCY, async (name) => {
    const api = apis[CASES.indexOf(name) % CORPUS_TENANTS]!;
    return deployLikeCli(api, await caseProject(name, home), name);
  });
}, 180_000);

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe("npm packages, one pulse each (test/realworld/cases)", () => {
  for (const name of CASES) {
    it(name, async () => {
      const deployed = await deployments.get(name)!;
      expect(deployed.ok, deployed.ok ? "" : `${deployed.stage}: ${deployed.message}`).toBe(true);
      const res = await callPulse(port, name, "GET", "/");
      expect(res.status, res.body).toBe(200);
      expect(JSON.parse(res.body)).toEqual(EXPECTED[name]);
    });
  }
});

describe("apps written the way their packages' docs show (test/realworld/apps), deployed with `pulse deploy`", () => {
  it("notes-api: Hono routes with zod validation (@hono/zod-validator) over the pulse's KV", async () => {
    await deployedApp("notes-api");
    const post = (body: unknown) =>
      callPulse(port, "notes-api", "POST", "/notes", { type: "application/json", text: JSON.stringify(body) });
    const created = await post({ title: "Groceries", body: "eggs" });
    expect(created.status).toBe(201);
    const note = JSON.parse(created.body);
    expect(note).toMatchObject({ title: "Groceries", body: "eggs", id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await post({ title: "Another" })).status).toBe(201);

    const invalid = await post({ title: "", body: 42 });
    expect(invalid.status).toBe(400);
    expect(
      JSON.parse(invalid.body)
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(["body", "title"]);

    expect(JSON.parse((await callPulse(port, "notes-api", "GET", `/notes/${note.id}`)).body)).toEqual(note);
    expect(
      JSON.parse((await callPulse(port, "notes-api", "GET", "/notes")).body).map((n: { title: string }) => n.title),
    ).toEqual(["Another", "Groceries"]);
    expect((await callPulse(port, "notes-api", "DELETE", `/notes/${note.id}`)).status).toBe(204);
    expect((await callPulse(port, "notes-api", "GET", `/notes/${note.id}`)).status).toBe(404);
  });

  it("guestbook: an HTML form; GET renders, POST stores and redirects (303), what visitors wrote is escaped", async () => {
    await deployedApp("guestbook");
    const page = await callPulse(port, "guestbook", "GET", "/");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.body).toContain('<form method="post" action="/">');

    const form = new URLSearchParams({ name: "Ada <script>", message: "Hello & welcome" }).toString();
    const posted = await callPulse(port, "guestbook", "POST", "/", {
      type: "application/x-www-form-urlencoded",
      text: form,
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe("/");
    const after = await callPulse(port, "guestbook", "GET", "/");
    expect(after.body).toContain("<li><b>Ada &lt;script&gt;</b>: Hello &amp; welcome</li>");
    expect(after.body).not.toContain("<script>");
    expect(
      (await callPulse(port, "guestbook", "POST", "/", { type: "application/x-www-form-urlencoded", text: "name=x" }))
        .status,
    ).toBe(400);
  });

  it("issues-proxy: an upstream API behind a secret set with the CLI; the token reaches only the upstream", async () => {
    await deployedApp("issues-proxy");
    const set = await pulse(
      ["secrets", "set", "issues-proxy", "GITHUB_TOKEN", "--host", "upstream.test"],
      `${UPSTREAM_TOKEN}\n`,
    );
    expect(set.code, set.stderr).toBe(0);

    const issues = await callPulse(port, "issues-proxy", "GET", "/issues/octo/demo");
    expect(issues.status, issues.body).toBe(200);
    expect(JSON.parse(issues.body)).toEqual([
      { number: 1, title: "First issue" },
      { number: 2, title: "Second issue" },
    ]);

    const echoed = await callPulse(port, "issues-proxy", "GET", "/whoami");
    const digest = new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`Bearer ${UPSTREAM_TOKEN}`)),
    );
    expect(JSON.parse(echoed.body).authorizationSha256).toBe(Buffer.from(digest).toString("hex"));
    expect(echoed.body).not.toContain(UPSTREAM_TOKEN);
  });

  it("webhook-receiver: checks GitHub's X-Hub-Signature-256 with env.crypto and a signing secret it never sees", async () => {
    await deployedApp("webhook-receiver");
    // GitHub's documented example: this secret and payload give this signature.
    const secret = "It's a Secret to Everybody";
    const documented = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    const set = await controlApi(port, token, "PUT", "/v1/pulses/webhook-receiver/secrets/WEBHOOK_SECRET", {
      value: secret,
      hosts: [],
      allowSigning: true,
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const deliver = (id: string, event: string, body: { type: string; text: string }, signature: string | null) =>
      callPulse(port, "webhook-receiver", "POST", "/webhook", body, {
        "x-github-delivery": id,
        "x-github-event": event,
        ...(signature === null ? {} : { "x-hub-signature-256": signature }),
      });

    const ping = await deliver("d-1", "ping", { type: "text/plain", text: "Hello, World!" }, `sha256=${documented}`);
    expect(ping.status, ping.body).toBe(202);
    const issue = JSON.stringify({ action: "opened", issue: { number: 7 } });
    const signed = `sha256=${createHmac("sha256", secret).update(issue).digest("hex")}`;
    expect((await deliver("d-2", "issues", { type: "application/json", text: issue }, signed)).status).toBe(202);

    // Refused: no signature, another body under the same signature, a signature under another secret.
    expect((await deliver("x-1", "issues", { type: "application/json", text: issue }, null)).status).toBe(401);
    expect((await deliver("x-2", "issues", { type: "application/json", text: `${issue} ` }, signed)).status).toBe(401);
    const forged = `sha256=${createHmac("sha256", "guessed").update(issue).digest("hex")}`;
    expect((await deliver("x-3", "issues", { type: "application/json", text: issue }, forged)).status).toBe(401);

    expect(JSON.parse((await callPulse(port, "webhook-receiver", "GET", "/deliveries")).body)).toEqual([
      { id: "d-1", event: "ping", action: null, bytes: 13 },
      { id: "d-2", event: "issues", action: "opened", bytes: issue.length },
    ]);
  });

  it("heartbeat: a scheduled job (schedule export + scheduled()) runs on its cron and records its run", async () => {
    await deployedApp("heartbeat");
    const { shown, override } = await heartbeatSchedules;
    expect(JSON.parse(shown.stdout)).toMatchObject({ source: "version", schedule: ["*/5 * * * *"], paused: false });
    expect(JSON.parse(override.stdout)).toMatchObject({ source: "override", schedule: ["* * * * *"] });
    let beat = { runs: 0 } as { runs: number; lastCron?: string; lastTime?: string };
    for (let i = 0; i < 150 && beat.runs === 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      beat = JSON.parse((await callPulse(port, "heartbeat", "GET", "/")).body);
    }
    // The export's own five-minute occurrence may come first.
    const crons = ["* * * * *", "*/5 * * * *"];
    expect(beat.runs).toBeGreaterThanOrEqual(1);
    expect(beat).toMatchObject({
      lastCron: expect.toBeOneOf(crons),
      lastTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/),
    });
    const history = await json(["schedules", "heartbeat"]);
    expect(history.runs.map((r: { cron: string }) => r.cron)).toContain(beat.lastCron);
    expect(await json(["schedules", "heartbeat", "--clear"])).toMatchObject({
      source: "version",
      schedule: ["*/5 * * * *"],
    });
  }, 120_000);
});
