// Pulse Studio's files workspace in a real browser (Debian's Chromium through playwright-core) against the run's
// shared platform: a developer sees the tree, adds and edits files, uploads a PNG and sees it drawn, renames it,
// deletes a file after the question, and deploys from the workspace; the pulse's URL then serves the image.

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, launchBrowser, type Browser } from "./support/browser.ts";
import { controlApi, get, ROOT } from "./support/platform-process.ts";
import { platformTenant } from "./support/shared-platform.ts";

const PULSE = "studio-files";
const SHOTS = join(ROOT, ".pulse/screenshots");
/** A 1x1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const HANDLER = `import { greet } from "./lib/greet";
export default async function run() {
  return { message: greet("workspace") };
}
`;

let port: number;
let token: string;
let browser: Browser;
let page: Page;
/** Script errors and CSP violations the page reported. */
const problems: string[] = [];

if (chromium.missing) console.warn(`Pulse Studio files browser test skipped: ${chromium.missing}`);

beforeAll(async () => {
  if (chromium.missing) return;
  ({ port, token } = await platformTenant("studio-files"));
  expect((await controlApi(port, token, "POST", "/v1/pulses", { name: PULSE })).status).toBe(201);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) problems.push(m.text());
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000 });
const files = () => page.locator("section", { has: page.locator("#files-title") });
const row = (path: string) => files().locator(`li[data-path="${path}"]`);
const listed = async () =>
  ((await controlApi(port, token, "GET", `/v1/pulses/${PULSE}/files`)).body.files as { path: string }[]).map(
    (f) => f.path,
  );

async function addFile(path: string, text: string) {
  await files().getByLabel("New file path").fill(path);
  await files().getByRole("button", { name: "Add file" }).click();
  const editor = files().locator(`[data-open-file="${path}"] .cm-content`);
  await editor.waitFor();
  await editor.focus();
  await page.keyboard.insertText(text);
  await files()
    .getByRole("button", { name: `Save ${path}` })
    .click();
  await poll(async () => (await controlApi(port, token, "GET", `/v1/pulses/${PULSE}/files`)).body.files).toContainEqual(
    expect.objectContaining({ path, size: Buffer.byteLength(text) }),
  );
}

describe.skipIf(!!chromium.missing)("Pulse Studio: the files workspace", () => {
  it("adds, uploads and previews, renames, deletes and deploys from the workspace", async () => {
    await page.goto(`http://127.0.0.1:${port}/studio/`);
    await page.getByLabel("Token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("[data-signed-in-as]").waitFor();
    await page.goto(`http://127.0.0.1:${port}/studio/#/pulses/${PULSE}`);
    await files().getByText("No files yet").waitFor();

    await addFile("index.ts", HANDLER);
    await addFile("lib/greet.ts", "export const greet = (who: string) => `hello from the ${who}`;\n");
    await addFile("notes.txt", "draft only");

    // The tree: folders first, collapsible.
    const lib = files().getByRole("button", { name: "lib/", exact: true });
    await expect(lib.getAttribute("aria-expanded")).resolves.toBe("true");
    await row("lib/greet.ts").waitFor();
    await lib.click();
    await expect(lib.getAttribute("aria-expanded")).resolves.toBe("false");
    await poll(() => row("lib/greet.ts").count()).toBe(0);
    await lib.click();
    await row("lib/greet.ts").waitFor();

    // A refused path shows the API's error code and message.
    await files().getByLabel("New file path").fill("../escape.ts");
    await files().getByRole("button", { name: "Add file" }).click();
    await poll(() => files().locator("#files-error").textContent()).toContain("invalid_request");

    // A binary upload goes under public/ and is previewed as a picture, not opened as text.
    await files().getByLabel("Upload files").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: PNG });
    const preview = files().getByRole("img", { name: "Preview of public/logo.png" });
    await preview.waitFor();
    await poll(() => preview.evaluate((img: { naturalWidth: number }) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await files().locator("[data-open-file] .cm-content").count()).toBe(0);

    await files().getByRole("button", { name: "Rename public/logo.png" }).click();
    await files().getByLabel("New path for public/logo.png").fill("public/img/logo.png");
    await files().getByRole("button", { name: "Move" }).click();
    await row("public/img/logo.png").waitFor();
    await files().getByRole("img", { name: "Preview of public/img/logo.png" }).waitFor();
    expect(await files().getByRole("button", { name: "img/", exact: true }).getAttribute("aria-expanded")).toBe("true");
    await mkdir(SHOTS, { recursive: true });
    await files().screenshot({ path: join(SHOTS, "07-files.png") });

    // Delete asks first; Cancel keeps the file.
    await files().getByRole("button", { name: "Delete notes.txt" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete notes.txt?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await poll(() => dialog.count()).toBe(0);
    expect(await listed()).toContain("notes.txt");
    await files().getByRole("button", { name: "Delete notes.txt" }).click();
    await dialog.getByRole("button", { name: "Yes, delete" }).click();
    await poll(() => row("notes.txt").count()).toBe(0);
    expect(await listed()).toEqual(["index.ts", "lib/greet.ts", "public/img/logo.png"]);

    await files().getByRole("button", { name: "Deploy from workspace" }).click();
    await poll(async () => (await controlApi(port, token, "GET", `/v1/pulses/${PULSE}`)).body.activeVersionId).not.toBe(
      null,
    );
    const { body: pulse } = await controlApi(port, token, "GET", `/v1/pulses/${PULSE}`);
    const { body: versions } = await controlApi(port, token, "GET", `/v1/pulses/${PULSE}/versions`);
    const live = versions.versions.find((v: { id: string }) => v.id === pulse.activeVersionId);
    expect(live.staticManifest).toMatch(/^[0-9a-f]{64}$/);
    await poll(() => page.locator("tr[aria-current=true]").getAttribute("data-version")).toBe(live.id);

    // The new version serves the uploaded bytes at the pulse's URL with their type; run() answers the rest.
    const image = await page.goto(`${pulse.url}/img/logo.png`);
    expect(image?.status()).toBe(200);
    expect(image?.headers()["content-type"]).toBe("image/png");
    expect(Buffer.compare(await image!.body(), PNG)).toBe(0);
    const answer = await get(port, `${PULSE}.pulses.localhost`, "/");
    expect(JSON.parse(answer.body)).toEqual({ message: "hello from the workspace" });

    expect(problems).toEqual([]);
  }, 180_000);

  it("starts an empty workspace from the live version's code", async () => {
    const name = "studio-files-live";
    expect((await controlApi(port, token, "POST", "/v1/pulses", { name })).status).toBe(201);
    const deployed = await controlApi(port, token, "POST", `/v1/pulses/${name}/versions`, {
      files: {
        "main.ts": 'import { n } from "./lib/n";\nexport default () => ({ n });\n',
        "lib/n.ts": "export const n = 1;\n",
      },
      main: "main.ts",
      deploy: true,
    });
    expect(deployed.status).toBe(201);
    await page.goto(`http://127.0.0.1:${port}/studio/#/pulses/${name}`);
    await files().getByRole("button", { name: "Start from the live version's code" }).click();
    await row("lib/n.ts").waitFor();
    expect(await files().getByLabel("Entry file").inputValue()).toBe("main.ts");
    const copied = await controlApi(port, token, "GET", `/v1/pulses/${name}/files`);
    expect(copied.body.files.map((f: { path: string }) => f.path)).toEqual(["lib/n.ts", "main.ts"]);
    expect(problems).toEqual([]);
  }, 60_000);
});
