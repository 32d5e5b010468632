// The files workspace through the control API: a draft edited file by file (text and binary, renamed,
// deleted), built into a version whose public/ files are served before run(); another tenant sees nothing.

import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, newTenant, type TestTenant } from "./support/control.ts";
import { BASE, callHost, uniqueName } from "./support/pulses.ts";

let dev: TestTenant;
beforeAll(async () => {
  dev = await newTenant("pro");
});

/** A raw request to the control API (binary bodies, non-JSON answers). */
function raw(method: string, path: string, token: string, body?: Uint8Array | string) {
  const headers = new Headers({ host: "127.0.0.1", authorization: `Bearer ${token}` });
  if (body !== undefined) headers.set("content-type", "application/octet-stream");
  return (exports as unknown as { default: Fetcher }).default.fetch(
    new Request(`http://127.0.0.1${path}`, { method, headers, body }),
  );
}

const file = (name: string, path: string) => `/v1/pulses/${name}/files/${encodeURIComponent(path)}`;

async function newPulse(): Promise<string> {
  const name = uniqueName("ws");
  expect((await api("POST", "/v1/pulses", { token: dev.token, body: { name } })).status).toBe(201);
  return name;
}

describe("files workspace", () => {
  it("adds, reads, renames and deletes files, binary ones too, and lists them", async () => {
    const name = await newPulse();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 1, 2]);
    expect((await raw("PUT", file(name, "index.ts"), dev.token, "export default () => 1;")).status).toBe(200);
    const put = await raw("PUT", file(name, "public/logo.png"), dev.token, png);
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ path: "public/logo.png", size: 8 });

    const read = await raw("GET", file(name, "public/logo.png"), dev.token);
    expect(read.headers.get("content-type")).toBe("image/png");
    expect([...new Uint8Array(await read.arrayBuffer())]).toEqual([...png]);

    const renamed = await api("POST", `${file(name, "public/logo.png")}/rename`, {
      token: dev.token,
      body: { to: "public/img/logo.png" },
    });
    expect(renamed.status).toBe(200);
    expect((await raw("GET", file(name, "public/logo.png"), dev.token)).status).toBe(404);
    const listed = await api("GET", `/v1/pulses/${name}/files`, { token: dev.token });
    expect(listed.body.files.map((f: { path: string }) => f.path)).toEqual(["index.ts", "public/img/logo.png"]);

    expect((await api("DELETE", file(name, "public/img/logo.png"), { token: dev.token })).status).toBe(200);
    const missing = await api("DELETE", file(name, "public/img/logo.png"), { token: dev.token });
    expect([missing.status, missing.body.error.code]).toEqual([404, "file_not_found"]);
  });

  it("refuses unsafe paths", async () => {
    const name = await newPulse();
    for (const path of ["../x.ts", "a/../../x.ts", "/abs.ts", "a\\b.ts", "nul\u0000.ts", "a//b.ts"]) {
      const res = await raw("PUT", file(name, path), dev.token, "x");
      expect(res.status, path).toBe(400);
      expect((await res.json<any>()).error.code).toBe("invalid_request");
    }
  });

  it("builds a version from the draft: public/ files are served, the rest is the code", async () => {
    const name = await newPulse();
    await raw("PUT", file(name, "index.ts"), dev.token, 'import { v } from "./lib/v";\nexport default () => ({ v });');
    await raw("PUT", file(name, "lib/v.ts"), dev.token, 'export const v = "from-files";');
    await raw("PUT", file(name, "public/index.html"), dev.token, "<h1>draft</h1>");
    const built = await api("POST", `/v1/pulses/${name}/versions/from-files`, {
      token: dev.token,
      body: { deploy: true, runPrefix: "/api/" },
    });
    expect(built.status, JSON.stringify(built.body)).toBe(201);
    expect(built.body.version.staticManifest).toMatch(/^[0-9a-f]{64}$/);
    expect(await (await callHost(`${name}.${BASE}`, "/")).text()).toBe("<h1>draft</h1>");
    expect(await (await callHost(`${name}.${BASE}`, "/api/x")).json()).toEqual({ v: "from-files" });

    // A binary file outside public/ cannot be source.
    await raw("PUT", file(name, "blob.ts"), dev.token, new Uint8Array([0xff, 0xfe, 0x00]));
    const refused = await api("POST", `/v1/pulses/${name}/versions/from-files`, { token: dev.token, body: {} });
    expect([refused.status, refused.body.error.code]).toEqual([422, "source_invalid"]);
  });

  it("another tenant can neither read nor write the draft", async () => {
    const name = await newPulse();
    await raw("PUT", file(name, "index.ts"), dev.token, "secret draft");
    const other = await newTenant("pro");
    expect((await raw("GET", file(name, "index.ts"), other.token)).status).toBe(404);
    expect((await raw("PUT", file(name, "index.ts"), other.token, "overwrite")).status).toBe(404);
    expect((await api("GET", `/v1/pulses/${name}/files`, { token: other.token })).status).toBe(404);
    expect(await (await raw("GET", file(name, "index.ts"), dev.token)).text()).toBe("secret draft");
  });
});
