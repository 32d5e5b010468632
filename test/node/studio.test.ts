// Pulse Studio in a real browser (Debian's Chromium through playwright-core) against the platform `npm start`
// runs (the run's shared one, with a tenant of this file's own): a developer signs in, creates a pulse, sees a
// build error at its line, fixes it, invokes, reads the log line and rolls back; an admin suspends the tenant
// and its pulse answers 403. Screenshots of the main
// pages go to .pulse/screenshots/.

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, launchBrowser, type Browser } from "./support/browser.ts";
import { controlApi, get, ROOT } from "./support/platform-process.ts";
import { platformTenant } from "./support/shared-platform.ts";

const SHOTS = join(ROOT, ".pulse/screenshots");
const PULSE = "studio-hello";
/** A pulse the tenant has before the developer signs in: the list shows it. */
const EXISTING = "studio-existing";

const handler = (body: string) => `export default async function run(input: { name?: string }) {
  console.log("studio says hi to", input.name);
${body}
}
`;
const BROKEN = handler("  return { message: `hello, ${input.name}` ;"); // line 3: "}" expected
const FIXED = handler("  return { message: `hello, ${input.name}` };");
const SECOND = handler("  return { message: `v2 for ${input.name}` };");

let port: number;
let browser: Browser;
let page: Page;
let tenant: string;
let tokens: { admin: string; developer: string };
/** Every URL the page asked for, and every CSP report or console error it printed. */
const requested: string[] = [];
const problems: string[] = [];

if (chromium.missing) console.warn(`Pulse Studio browser tests skipped: ${chromium.missing}`);

beforeAll(async () => {
  if (chromium.missing) return;
  const mine = await platformTenant("studio");
  ({ port, name: tenant } = mine);
  tokens = { admin: mine.adminToken, developer: mine.token };
  expect((await controlApi(port, tokens.developer, "POST", "/v1/pulses", { name: EXISTING })).status).toBe(201);
  await mkdir(SHOTS, { recursive: true });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on("request", (r) => requested.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error" && !/the server responded with a status of (4\d\d)/.test(m.text()))
      problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.exposeFunction("reportCsp", (text: string) => problems.push(`CSP: ${text}`));
  // Runs in the page before its own scripts (a string: this file is type-checked without the DOM library).
  await page.addInitScript({
    content: `document.addEventListener("securitypolicyviolation", (e) => reportCsp(e.violatedDirective + " " + e.blockedURI + " " + e.sample));`,
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

async function signIn(token: string) {
  await page.goto(`http://127.0.0.1:${port}/studio/`);
  await page.locator("#token").waitFor();
  // Keyboard only: the token field is the first stop, Enter submits.
  await page.keyboard.press("Tab");
  expect(await page.evaluate("document.activeElement && document.activeElement.id")).toBe("token");
  // The keyboard focus is visible: the studio's focus ring, not the browser's faint default.
  expect(
    await page.evaluate(
      "getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineWidth",
    ),
  ).toBe("solid 3px");
  await page.keyboard.insertText(token);
  await page.keyboard.press("Enter");
  await page.locator("[data-signed-in-as]").waitFor();
}

async function setEditorText(text: string) {
  await page.locator(".cm-content").focus();
  await page.keyboard.press("Control+A");
  // Typing over a selection that spans highlighted tokens makes Chromium's editing engine write a style
  // attribute, which the CSP refuses (harmless: CodeMirror redraws the line); emptying first avoids it.
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
  await poll(async () => (await page.locator(".cm-content").innerText()).replace(/\u00a0/g, " ").trim()).toBe(
    text.trim(),
  );
}

async function invoke(): Promise<string> {
  await page.getByRole("button", { name: "Send" }).click();
  const body = page.locator(".response-body");
  await body.waitFor();
  await poll(() => page.locator("button[aria-busy=true]").count()).toBe(0);
  return (await body.textContent()) ?? "";
}

/** Form fields on the page with no label a screen reader could announce. */
const unlabelledFields = () =>
  page.evaluate(`[...document.querySelectorAll("input, select, textarea")]
    .filter((e) => !e.labels?.length && !e.getAttribute("aria-label") && !e.getAttribute("aria-labelledby"))
    .map((e) => e.outerHTML)`);

const liveRow = () => page.locator("tr[aria-current=true]");
/** Builds and restarts take seconds on a busy machine: wait up to 20 s for the page to show a change. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000 });

const SUITE = chromium.missing ? `Pulse Studio (skipped: ${chromium.missing})` : "Pulse Studio";
describe.skipIf(!!chromium.missing)(SUITE, () => {
  it("a developer edits, deploys, sees a build error at its line, invokes, reads logs and rolls back", async () => {
    const page0 = await fetch(`http://127.0.0.1:${port}/studio/`);
    expect(page0.headers.get("content-security-policy")).toContain("script-src 'self'");

    // A refused token is an answer with the API's code and message, and the page stays at sign-in.
    await page.goto(`http://127.0.0.1:${port}/studio/`);
    await page.getByLabel("Token").fill("not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await poll(() => page.locator(".error-notice").textContent()).toMatch(/token_invalid.*not a well-formed JWT/);
    expect(await page.evaluate("sessionStorage.length")).toBe(0);

    await signIn(tokens.developer);
    await poll(() => page.locator("h1").textContent()).toContain(`Pulses of ${tenant}`);
    await page.locator(`tr[data-pulse=${EXISTING}]`).waitFor();
    await shot("01-pulses");

    await page.getByLabel("Pulse name").fill(PULSE);
    await page.getByRole("button", { name: "Create" }).click();
    await page.waitForURL(`**/studio/#/pulses/${PULSE}`);
    await page.locator(".cm-content").waitFor();
    expect(await page.locator(".cm-content").textContent()).toContain("export default async function run");

    // A build error lands on its line: gutter marker and underline on line 3, the code and message above.
    await setEditorText(BROKEN);
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    await poll(() => page.locator("#deploy-error").textContent()).toContain("build_failed");
    const marked = page.locator(".cm-line", { has: page.locator(".cm-lintRange-error") });
    await marked.waitFor();
    const lineIndex = await marked.evaluate((line) =>
      [...line.parentElement!.querySelectorAll(".cm-line")].indexOf(line),
    );
    expect(lineIndex + 1).toBe(3);
    expect(await page.locator(".cm-gutter-lint .cm-lint-marker-error").count()).toBe(1);
    expect(await page.locator(".diagnostics").textContent()).toMatch(/index\.ts:3:\d+/);
    await shot("02-build-error");

    await setEditorText(FIXED);
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    await page.getByText("Source of the live version").waitFor();
    expect(await page.locator(".cm-lintRange-error").count()).toBe(0);
    expect(await page.locator(".cm-content").textContent()).toContain("hello, ${input.name}");
    const v1 = (await liveRow().getAttribute("data-version"))!;

    expect(JSON.parse(await invoke())).toEqual({ message: "hello, ada" });
    expect(await page.locator(".invoke-result [data-status]").textContent()).toBe("200");
    await page.locator(".logs li", { hasText: "studio says hi to ada" }).waitFor();
    await shot("03-pulse");
    expect(await unlabelledFields()).toEqual([]);
    expect(await page.locator(".cm-content").getAttribute("aria-label")).toBe("Source of index.ts");

    await setEditorText(SECOND);
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    await poll(() => liveRow().getAttribute("data-version")).not.toBe(v1);
    expect(JSON.parse(await invoke())).toEqual({ message: "v2 for ada" });

    // One click back to the first version: it is live, and the editor shows its source again.
    await page.getByRole("button", { name: `Roll back to ${v1.slice(0, 12)}` }).click();
    await poll(() => liveRow().getAttribute("data-version")).toBe(v1);
    await poll(() => page.locator(".cm-content").textContent()).toContain("hello, ${input.name}");
    expect(JSON.parse((await get(port, `${PULSE}.pulses.localhost`, "/?name=bob")).body)).toEqual({
      message: "hello, bob",
    });

    // The same form starts a canary: the new version takes the share of clients given, the live one stays live.
    await setEditorText(SECOND);
    await page.getByLabel("Canary").fill("25");
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    const canaryOf = async () =>
      (await controlApi(port, tokens.developer, "GET", `/v1/pulses/${PULSE}/canary`)).body.canary;
    await poll(async () => (await canaryOf())?.share).toBe(25);
    expect(await canaryOf()).toMatchObject({ status: "open", liveVersionId: v1 });
    expect(await liveRow().getAttribute("data-version")).toBe(v1);

    // Secrets: set from the page; the name and the hosts it may reach are listed, the value never comes back.
    const value = "studio-secret-value-0123456789";
    await page.getByLabel("Name", { exact: true }).fill("lowercase");
    await page.getByLabel("Value", { exact: true }).fill(value);
    await page.getByLabel("Hosts it may reach").fill("api.example.com");
    await page.getByRole("button", { name: "Save secret" }).click();
    await poll(() => page.locator("#secrets-title ~ .error-notice").textContent()).toContain("invalid_request");
    await page.getByLabel("Name", { exact: true }).fill("API_KEY");
    await page.getByRole("button", { name: "Save secret" }).click();
    await poll(() => page.locator("tr[data-secret=API_KEY]").textContent()).toContain("api.example.com");
    expect(await page.getByLabel("Value", { exact: true }).inputValue()).toBe("");
    await page.reload();
    await page.locator("tr[data-secret=API_KEY]").waitFor();
    expect(await page.content()).not.toContain(value);
    const listed = await controlApi(port, tokens.developer, "GET", `/v1/pulses/${PULSE}/secrets`);
    expect(listed.body.secrets).toMatchObject([{ name: "API_KEY", hosts: ["api.example.com"] }]);
    await page.getByRole("button", { name: "Delete API_KEY" }).click();
    await poll(() => page.locator("tr[data-secret=API_KEY]").count()).toBe(0);

    await page.getByRole("link", { name: "Pulses" }).click();
    await poll(() => page.locator(`tr[data-pulse=${PULSE}] [data-requests]`).textContent()).not.toBe("0");
  }, 180_000);

  it("an admin changes a plan, suspends the tenant (its pulse answers 403) and reads usage", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(tokens.admin);
    await page.getByRole("link", { name: "Tenants" }).click();
    const mine = page.locator(`tr[data-tenant=${tenant}]`);
    await mine.waitFor();

    await page.getByLabel(`Plan of ${tenant}`).selectOption("pro");
    await page.getByText(`${tenant} is now on plan pro.`).waitFor();
    await page.getByRole("button", { name: `Suspend ${tenant}` }).click();
    await poll(() => mine.locator(".badge").textContent()).toBe("suspended");
    await shot("04-tenants");
    expect(await unlabelledFields()).toEqual([]);
    const refused = await get(port, `${PULSE}.pulses.localhost`, "/?name=ada");
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.code).toBe("tenant_suspended");

    await page.getByRole("button", { name: `Resume ${tenant}` }).click();
    await poll(() => mine.locator(".badge").textContent()).toBe("active");
    expect((await get(port, `${PULSE}.pulses.localhost`, "/?name=ada")).status).toBe(200);

    await page.getByRole("link", { name: "Plans" }).click();
    await page.locator("table.plans th", { hasText: "pro" }).waitFor();
    await shot("05-plans");

    await page.getByRole("link", { name: "Usage" }).click();
    const canvas = page.getByRole("img", { name: /Requests and errors per day/ });
    await canvas.waitFor();
    expect((await canvas.boundingBox())!.height).toBeGreaterThan(100);
    await page.getByText("Figures per day").click();
    const todayRow = page.locator("tr", {
      has: page.locator(`th:text-is("${new Date().toISOString().slice(0, 10)}")`),
    });
    await poll(async () => Number(await todayRow.locator("td").first().textContent())).toBeGreaterThan(3);
    await shot("06-usage");
  }, 120_000);

  it("kept the token out of every URL, and the page ran without CSP violations or script errors", () => {
    expect(requested.length).toBeGreaterThan(10);
    for (const token of Object.values(tokens)) expect(requested.filter((u) => u.includes(token))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
