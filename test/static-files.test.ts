// Static files per version, through the control API and the dispatcher as a developer and an end user meet
// them: served before run(), typed and cached by their rules, refused past the plan's limits, switched with the
// code on rollback, stored once whatever pulse uploads them, and never reachable from another pulse or by a
// crafted path.

import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex, staticBlobKey } from "../platform/static-files.ts";
import { adminToken, api, newTenant, type TestTenant } from "./support/control.ts";
import { BASE, callHost, uniqueName } from "./support/pulses.ts";

let dev: TestTenant;
beforeAll(async () => {
  dev = await newTenant("pro");
});

const b64 = (text: string) => btoa(text);
/** A pulse that names its variant and echoes its path: whatever reaches run() says so. */
const code = (variant: string) => ({
  files: {
    "index.ts": `export default async function run(input, env) {\n  return { ran: ${JSON.stringify(variant)} };\n}\n`,
  },
  main: "index.ts",
});

async function newPulse(tenant = dev): Promise<string> {
  const name = uniqueName("static");
  expect((await api("POST", "/v1/pulses", { token: tenant.token, body: { name } })).status).toBe(201);
  return name;
}

async function upload(name: string, body: Record<string, unknown>, tenant = dev) {
  return api("POST", `/v1/pulses/${name}/versions`, { token: tenant.token, body: { deploy: true, ...body } });
}

async function deployWithFiles(
  name: string,
  files: Record<string, string>,
  options: { spa?: boolean; runPrefix?: string; variant?: string } = {},
) {
  const { variant = "v1", ...rest } = options;
  const res = await upload(name, { ...code(variant), staticFiles: { files: encode(files), ...rest } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.version.id as string;
}

const encode = (files: Record<string, string>) =>
  Object.fromEntries(Object.entries(files).map(([path, text]) => [path, b64(text)]));

const get = (name: string, path: string, init: RequestInit = {}) => callHost(`${name}.${BASE}`, path, init);

describe("static files", () => {
  it("serves files before run(), with their types, and run() for everything else", async () => {
    const name = await newPulse();
    await deployWithFiles(name, {
      "index.html": "<h1>home</h1>",
      "style.css": "h1{}",
      "app.js": "console.log(1)",
      "data/info.json": "{}",
      "logo.svg": "<svg/>",
      "notes.unknownext": "?",
      "docs/index.html": "<h1>docs</h1>",
    });
    const home = await get(name, "/");
    expect(home.status).toBe(200);
    expect(home.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await home.text()).toBe("<h1>home</h1>");
    expect(home.headers.get("x-pulse-request-id")).toBeTruthy();
    const types: Record<string, string> = {
      "/style.css": "text/css; charset=utf-8",
      "/app.js": "text/javascript; charset=utf-8",
      "/data/info.json": "application/json; charset=utf-8",
      "/logo.svg": "image/svg+xml",
      "/notes.unknownext": "application/octet-stream",
    };
    for (const [path, type] of Object.entries(types)) {
      const res = await get(name, path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toBe(type);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      await res.arrayBuffer();
    }
    expect(await (await get(name, "/docs/")).text()).toBe("<h1>docs</h1>");
    expect(await (await get(name, "/docs")).text()).toBe("<h1>docs</h1>");
    // No file: run() answers, for GET and for any other method.
    expect(await (await get(name, "/api/hello")).json()).toEqual({ ran: "v1" });
    expect(await (await get(name, "/style.css", { method: "POST", body: "{}" })).json()).toEqual({ ran: "v1" });
  });

  it("answers HEAD without a body, and 304 to a matching If-None-Match", async () => {
    const name = await newPulse();
    await deployWithFiles(name, { "page.html": "<p>hi</p>" });
    const first = await get(name, "/page.html");
    const etag = first.headers.get("etag")!;
    expect(etag).toBe(`"${await sha256Hex(new TextEncoder().encode("<p>hi</p>"))}"`);
    expect(first.headers.get("cache-control")).toBe("public, no-cache");
    await first.arrayBuffer();

    const head = await get(name, "/page.html", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
    expect(head.headers.get("content-length")).toBe("9");
    expect(await head.text()).toBe("");

    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const again = await get(name, "/page.html", { headers: { "if-none-match": header } });
      expect(again.status, header).toBe(304);
      expect(again.headers.get("etag")).toBe(etag);
      expect(await again.text()).toBe("");
    }
    const changed = await get(name, "/page.html", { headers: { "if-none-match": '"stale"' } });
    expect(changed.status).toBe(200);
    await changed.arrayBuffer();
  });

  it("caches names with a content hash for a year, others with revalidation", async () => {
    const name = await newPulse();
    await deployWithFiles(name, {
      "assets/index-BtF3x9aQ.js": "1",
      "assets/app.3f2a9c1d.css": "2",
      "assets/main-component.js": "3",
      "favicon.ico": "4",
    });
    const cache = async (path: string) => {
      const res = await get(name, path);
      await res.arrayBuffer();
      return res.headers.get("cache-control");
    };
    expect(await cache("/assets/index-BtF3x9aQ.js")).toBe("public, max-age=31536000, immutable");
    expect(await cache("/assets/app.3f2a9c1d.css")).toBe("public, max-age=31536000, immutable");
    expect(await cache("/assets/main-component.js")).toBe("public, no-cache");
    expect(await cache("/favicon.ico")).toBe("public, no-cache");
  });

  it("falls back to index.html for pages of a single-page app, and keeps run() for the rest", async () => {
    const name = await newPulse();
    await deployWithFiles(name, { "index.html": "<div id=app></div>" }, { spa: true });
    const page = await get(name, "/settings/profile", { headers: { accept: "text/html,*/*" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toBe("<div id=app></div>");
    // A fetch from the page's script (Accept: */* or JSON) still reaches run().
    expect(await (await get(name, "/settings/profile", { headers: { accept: "application/json" } })).json()).toEqual({
      ran: "v1",
    });
  });

  it("with a run() prefix, only that prefix reaches run(): other paths are files or 404", async () => {
    const name = await newPulse();
    await deployWithFiles(name, { "index.html": "home", "api/shadow.txt": "never" }, { runPrefix: "/api/" });
    expect(await (await get(name, "/")).text()).toBe("home");
    expect(await (await get(name, "/api/shadow.txt")).json()).toEqual({ ran: "v1" });
    expect(await (await get(name, "/api/x", { method: "POST", body: "{}" })).json()).toEqual({ ran: "v1" });
    const missing = await get(name, "/nothing-here");
    expect(missing.status).toBe(404);
    expect((await missing.json<any>()).error.code).toBe("file_not_found");
    const post = await get(name, "/index.html", { method: "POST", body: "{}" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    expect((await post.json<any>()).error.code).toBe("method_not_allowed");
  });

  it("rolls back files together with the code", async () => {
    const name = await newPulse();
    const v1 = await deployWithFiles(name, { "index.html": "one", "only-in-one.txt": "1" }, { variant: "v1" });
    const v2 = await deployWithFiles(name, { "index.html": "two" }, { variant: "v2" });
    expect(v2).not.toBe(v1);
    expect(await (await get(name, "/")).text()).toBe("two");
    expect(await (await get(name, "/only-in-one.txt")).json()).toEqual({ ran: "v2" });

    const back = await api("POST", `/v1/pulses/${name}/rollback`, { token: dev.token });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(await (await get(name, "/")).text()).toBe("one");
    expect(await (await get(name, "/only-in-one.txt")).text()).toBe("1");
    expect(await (await get(name, "/missing")).json()).toEqual({ ran: "v1" });
  });

  it("keeps the live version's files for a code-only edit that asks to (Studio, MCP), and only then", async () => {
    const name = await newPulse();
    await deployWithFiles(name, { "index.html": "the app" }, { variant: "v1" });
    const edited = await upload(name, { ...code("v2"), keepStaticFiles: true });
    expect(edited.status, JSON.stringify(edited.body)).toBe(201);
    expect(await (await get(name, "/")).text()).toBe("the app");
    expect(await (await get(name, "/api")).json()).toEqual({ ran: "v2" });
    // Files given with it win over keeping; without either, the version has none.
    await upload(name, {
      ...code("v3"),
      keepStaticFiles: true,
      staticFiles: { files: encode({ "index.html": "new" }) },
    });
    expect(await (await get(name, "/")).text()).toBe("new");
    await upload(name, code("v4"));
    expect(await (await get(name, "/")).json()).toEqual({ ran: "v4" });
  });

  it("the same code with other files is another version", async () => {
    const name = await newPulse();
    const a = await deployWithFiles(name, { "index.html": "a" });
    const b = await deployWithFiles(name, { "index.html": "b" });
    const none = await upload(name, code("v1"));
    expect(new Set([a, b, none.body.version.id]).size).toBe(3);
    // Without files, nothing is served before run().
    expect(await (await get(name, "/")).json()).toEqual({ ran: "v1" });
  });

  it("stores a file once, whatever pulse or tenant uploads it", async () => {
    const content = `shared ${uniqueName("bytes")}`;
    const hash = await sha256Hex(new TextEncoder().encode(content));
    const other = await newTenant("pro");
    const [one, two] = [await newPulse(), await newPulse(other)];
    await deployWithFiles(one, { "a.txt": content });
    const stored = await env.BUNDLES.head(staticBlobKey(hash));
    expect(stored?.size).toBe(content.length);
    const res = await upload(two, { ...code("v1"), staticFiles: { files: { "b.txt": b64(content) } } }, other);
    expect(res.status).toBe(201);
    const again = await env.BUNDLES.head(staticBlobKey(hash));
    // Not written again: the object is the one the first upload wrote.
    expect(again?.uploaded.getTime()).toBe(stored?.uploaded.getTime());
    expect(again?.etag).toBe(stored?.etag);
    const listed = await env.BUNDLES.list({ prefix: staticBlobKey(hash) });
    expect(listed.objects).toHaveLength(1);
  });

  it("never serves a file of another pulse, whatever the path", async () => {
    const victim = await newPulse();
    await deployWithFiles(victim, { "secret/report.txt": "victim data" });
    const attacker = await newPulse();
    await deployWithFiles(attacker, { "index.html": "attacker" });
    const tries = [
      "/secret/report.txt",
      `/../${victim}/secret/report.txt`,
      "/%2e%2e/secret/report.txt",
      "/..%2fsecret%2freport.txt",
      "/%2e%2e%2f%2e%2e%2fstatic%2fblobs",
      "/..\\secret\\report.txt",
      "/%5c..%5csecret%5creport.txt",
      "/secret/report.txt%00.html",
      "/%00",
      "/%",
      `/static/blobs/${await sha256Hex(new TextEncoder().encode("victim data"))}`,
    ];
    for (const path of tries) {
      const res = await get(attacker, path);
      const text = await res.text();
      expect(text, path).not.toContain("victim data");
      expect(res.status, path).toBeLessThan(500);
    }
    // On its own host, dot segments (plain or %2e) resolve inside the pulse's root, as URLs do: its own file.
    for (const path of ["/a/../secret/report.txt", "/%2e%2e/secret/report.txt"]) {
      expect(await (await get(victim, path)).text(), path).toBe("victim data");
    }
  });

  it("refuses bad paths, oversized files and more than the plan allows, each with its code", async () => {
    const name = await newPulse();
    const refusal = async (files: Record<string, string>, extra: Record<string, unknown> = {}) => {
      const res = await upload(name, { ...code("v1"), staticFiles: { files, ...extra } });
      return { status: res.status, code: res.body?.error?.code as string };
    };
    for (const path of ["../x.txt", "a/../../x.txt", "/abs.txt", "a\\b.txt", "a//b.txt", "./a.txt", "nul\u0000.txt"]) {
      expect(await refusal({ [path]: b64("x") }), path).toEqual({ status: 422, code: "static_files_invalid" });
    }
    expect(await refusal({ "a.txt": "not base64!" })).toEqual({ status: 422, code: "static_files_invalid" });
    expect(await refusal({ "a.txt": b64("x") }, { runPrefix: "api" })).toEqual({
      status: 422,
      code: "static_files_invalid",
    });
    const big = "A".repeat(Math.ceil(((5 * 1024 * 1024 + 3) * 4) / 3 / 4) * 4);
    expect(await refusal({ "big.bin": big })).toEqual({ status: 413, code: "static_file_too_large" });

    // A plan of 3 files and 10 bytes.
    const tiny = await newTenant("pro");
    const plan = `tiny${Date.now().toString(36)}`;
    const admin = await adminToken();
    const limits = (await api("GET", "/v1/admin/plans/pro", { token: admin })).body.limits;
    const created = await api("POST", "/v1/admin/plans", {
      token: admin,
      body: { name: plan, limits: { ...limits, staticFiles: 3, staticBytes: 10 } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await api("PATCH", `/v1/admin/tenants/${tiny.name}`, { token: admin, body: { plan } })).status).toBe(200);
    const small = await newPulse(tiny);
    const four = { "1.txt": b64("1"), "2.txt": b64("2"), "3.txt": b64("3"), "4.txt": b64("4") };
    const tooMany = await upload(small, { ...code("v1"), staticFiles: { files: four } }, tiny);
    expect([tooMany.status, tooMany.body.error.code]).toEqual([413, "static_files_too_many"]);
    const tooLarge = await upload(
      small,
      { ...code("v1"), staticFiles: { files: { "a.txt": b64("12345678901") } } },
      tiny,
    );
    expect([tooLarge.status, tooLarge.body.error.code]).toEqual([413, "static_files_too_large"]);
    expect(tooLarge.body.error.message).toContain("10");
    const fits = await upload(small, { ...code("v1"), staticFiles: { files: { "a.txt": b64("1234567890") } } }, tiny);
    expect(fits.status).toBe(201);
  });

  it("exports the files under public/ with wrangler assets that answer the same way", async () => {
    const name = await newPulse();
    const png = new Uint8Array(256).map((_, i) => i);
    const res = await upload(name, {
      ...code("v1"),
      staticFiles: {
        files: { "index.html": b64("<h1>app</h1>"), "img/logo.png": btoa(String.fromCharCode(...png)) },
        runPrefix: "/api/",
      },
    });
    expect(res.status).toBe(201);
    const exported = await api("GET", `/v1/pulses/${name}/export`, { token: dev.token });
    expect(exported.status).toBe(200);
    expect(exported.body.files["public/index.html"]).toBe("<h1>app</h1>");
    const logo = Uint8Array.from(atob(exported.body.binaryFiles["public/img/logo.png"]), (c) => c.charCodeAt(0));
    expect([...logo]).toEqual([...png]);
    expect(exported.body.files["wrangler.jsonc"]).toContain(
      `"assets": {"directory":"./public","not_found_handling":"404-page","run_worker_first":["/api/*"]},`,
    );
  });
});
