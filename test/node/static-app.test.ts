// The guestbook example in a real browser (Chromium through playwright-core) against the platform `npm start`
// runs: its page, script and style come from the version's public/ files, and the script's fetch() calls reach
// the pulse's own run() under /api/.

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectStaticFiles } from "../../cli/project.ts";
import { chromium, launchBrowser, type Browser } from "./support/browser.ts";
import { controlApi, freePort, ROOT, start, stop } from "./support/platform-process.ts";

const EXAMPLE = join(ROOT, "examples/guestbook");
const PULSE = "guestbook-app";
/** The app's own hostname (a custom domain an admin vouches for: no DNS here), mapped to loopback in the browser. */
const DOMAIN = "guestbook.example.com";

let stateDir: string;
let port: number;
let platform: ChildProcess;
let browser: Browser;

if (chromium.missing) console.warn(`static app browser test skipped: ${chromium.missing}`);

beforeAll(async () => {
  if (chromium.missing) return;
  stateDir = await mkdtemp(join(tmpdir(), "pulse-static-app-"));
  port = await freePort();
  platform = await start(port, stateDir);
  browser = await launchBrowser({ hosts: [DOMAIN] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (platform) await stop(platform);
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe.skipIf(Boolean(chromium.missing))("an app with static files, in a browser", () => {
  it("serves the guestbook's page and script, whose calls reach run()", async () => {
    const { demo } = JSON.parse(await readFile(join(stateDir, "tokens.json"), "utf8")) as { demo: string };
    expect((await controlApi(port, demo, "POST", "/v1/pulses", { name: PULSE })).status).toBe(201);
    const deployed = await controlApi(port, demo, "POST", `/v1/pulses/${PULSE}/versions`, {
      files: { "index.ts": await readFile(join(EXAMPLE, "index.ts"), "utf8") },
      main: "index.ts",
      ...(await collectStaticFiles(EXAMPLE)),
      deploy: true,
    });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);

    const page = await browser.context.newPage();
    const requested: string[] = [];
    const problems: string[] = [];
    page.on("request", (r) => requested.push(new URL(r.url()).pathname));
    page.on("pageerror", (e) => problems.push(String(e)));
    await page.goto(`http://${PULSE}.pulses.localhost:${port}/`);
    await page.locator("input[name=name]").fill("Ada");
    await page.locator("input[name=message]").fill("hello from the browser");
    await page.locator("button[type=submit]").click();
    await page.locator("#entries li").first().waitFor();
    expect(await page.locator("#entries li").first().textContent()).toBe("Ada: hello from the browser");
    expect(requested).toEqual(expect.arrayContaining(["/", "/style.css", "/app.js", "/api/entries"]));
    expect(problems).toEqual([]);
  }, 120_000);

  it("serves the same app at its own domain once verified, with the entries its run() keeps", async () => {
    const { demo, admin } = JSON.parse(await readFile(join(stateDir, "tokens.json"), "utf8")) as {
      demo: string;
      admin: string;
    };
    expect((await controlApi(port, demo, "POST", `/v1/pulses/${PULSE}/domains`, { hostname: DOMAIN })).status).toBe(
      201,
    );
    expect((await controlApi(port, admin, "POST", `/v1/admin/domains/${DOMAIN}/verify`)).status).toBe(200);
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(String(e)));
    await page.goto(`http://${DOMAIN}:${port}/`);
    await page.locator("#entries li").first().waitFor();
    expect(await page.locator("#entries li").first().textContent()).toBe("Ada: hello from the browser");
    await page.locator("input[name=name]").fill("Grace");
    await page.locator("input[name=message]").fill("from the app's own domain");
    await page.locator("button[type=submit]").click();
    await page.getByText("Grace: from the app's own domain").waitFor();
    expect(problems).toEqual([]);
  }, 120_000);
});
