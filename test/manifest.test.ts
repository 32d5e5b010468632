// Manifests through the control API: derived from the uploaded TypeScript at build time, stored with the
// version, returned on upload with a diff against the live version, and shown by the version routes.

import { beforeAll, describe, expect, it } from "vitest";
import { api, newTenant, type TestTenant } from "./support/control.ts";
import { uniqueName } from "./support/pulses.ts";

let dev: TestTenant;
beforeAll(async () => {
  dev = await newTenant("pro");
});

async function createPulse(): Promise<string> {
  const name = uniqueName("mf");
  expect((await api("POST", "/v1/pulses", { token: dev.token, body: { name } })).status).toBe(201);
  return name;
}

const upload = (name: string, files: Record<string, string>, deploy = false) =>
  api("POST", `/v1/pulses/${name}/versions`, { token: dev.token, body: { files, main: "index.ts", deploy } });

const V1 = {
  "index.ts": `import type { PulseEnv } from "./types";
export default async function run(input: { q?: string }, env: PulseEnv) {
  const res = await fetch(\`https://upstream.test/echo?q=\${input.q ?? ""}\`);
  return { v: 1, status: res.status };
}
`,
  "types.ts": `export interface PulseEnv { db?: unknown; secrets: Record<string, string> }\n`,
};

// v2 adds a host (through a typed constant in another file), env.db, a secret and a schedule; an uploaded
// file nothing imports calls a host that must not count.
const V2 = {
  "index.ts": `import { STRIPE } from "./lib/stripe";
export const schedule = ["0 * * * *"];
export default async function run(input: { q?: string }, env: any) {
  await fetch(\`https://upstream.test/echo?q=\${input.q ?? ""}\`);
  await env.db!.exec("CREATE TABLE IF NOT EXISTS t (x)");
  const res = await fetch(\`\${STRIPE}/v1/charges\`, { headers: { authorization: \`Bearer \${env.secrets.STRIPE_KEY}\` } });
  return { v: 2, status: res.status };
}
`,
  "lib/stripe.ts": `export const STRIPE: string = "https://api.stripe.com";\n`,
  "unused.ts": `export const x = () => fetch("https://not-reached.example.com/");\n`,
};

describe("manifest on upload", { timeout: 30_000 }, () => {
  it("describes the first version, and diffs the next one against the live one by name", async () => {
    const name = await createPulse();
    const first = await upload(name, V1, true);
    expect(first.status).toBe(201);
    expect(first.body.version.manifest).toMatchObject({
      usesDb: false,
      secrets: [],
      connections: [],
      egress: { hosts: ["upstream.test"], dynamicFetch: false },
      schedules: [],
      files: ["index.ts"],
      bundleBytes: first.body.version.sizeBytes,
    });
    expect(first.body.diff).toMatchObject({
      against: null,
      added: { hosts: ["upstream.test"] },
      addsEgressOrSecrets: true,
    });
    expect(first.body.diff.sentences).toEqual(["now calls upstream.test"]);

    const second = await upload(name, V2);
    expect(second.status).toBe(201);
    const manifest = second.body.version.manifest;
    expect(manifest).toMatchObject({
      usesDb: true,
      secrets: ["STRIPE_KEY"],
      egress: { hosts: ["api.stripe.com", "upstream.test"], dynamicFetch: false, dynamicTargets: [] },
      schedules: ["0 * * * *"],
      files: ["index.ts", "lib/stripe.ts"],
    });
    expect(second.body.diff).toMatchObject({
      against: first.body.version.id,
      added: { hosts: ["api.stripe.com"], secrets: ["STRIPE_KEY"], connections: [], schedules: ["0 * * * *"] },
      removed: { hosts: [], secrets: [] },
      usesDb: { from: false, to: true },
      addsEgressOrSecrets: true,
    });
    expect(second.body.diff.sentences.slice(0, 4)).toEqual([
      "now also calls api.stripe.com",
      "now uses env.db",
      "now reads secret STRIPE_KEY",
      'now runs on schedule "0 * * * *"',
    ]);
    expect(second.body.diff.sentences.join("; ")).toContain("now also calls api.stripe.com; now uses env.db");
    expect(JSON.stringify(second.body)).not.toContain("not-reached.example.com");
  });

  it("shows the manifest in the version list and the diff on the version itself", async () => {
    const name = await createPulse();
    const one = await upload(name, V2, true);
    const two = await upload(name, V1);
    const listed = (await api("GET", `/v1/pulses/${name}/versions`, { token: dev.token })).body.versions;
    expect(listed.find((v: any) => v.id === two.body.version.id).manifest.egress.hosts).toEqual(["upstream.test"]);
    const read = await api("GET", `/v1/pulses/${name}/versions/${two.body.version.id.slice(0, 12)}`, {
      token: dev.token,
    });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: two.body.version.id,
      active: false,
      diff: {
        against: one.body.version.id,
        removed: { hosts: ["api.stripe.com"], secrets: ["STRIPE_KEY"] },
        usesDb: { from: true, to: false },
      },
    });
    expect(read.body.diff.sentences).toEqual(
      expect.arrayContaining([
        "no longer calls api.stripe.com",
        "no longer uses env.db",
        "no longer reads secret STRIPE_KEY",
      ]),
    );
    // The live version against itself: nothing changes.
    const live = await api("GET", `/v1/pulses/${name}/versions/${one.body.version.id}`, { token: dev.token });
    expect(live.body.diff.sentences).toEqual(["no change in what it uses or calls"]);
    expect((await api("GET", `/v1/pulses/${name}/versions/0000000`, { token: dev.token })).body.error.code).toBe(
      "version_not_found",
    );
  });

  it("marks a fetch whose target the source does not fix, with the target as written", async () => {
    const name = await createPulse();
    const res = await upload(name, {
      "index.ts": `export default async (input: { url: string }) => (await fetch(input.url as string)).status;\n`,
    });
    expect(res.body.version.manifest.egress).toEqual({
      hosts: [],
      dynamicFetch: true,
      dynamicTargets: [{ file: "index.ts", target: "input.url" }],
    });
    expect(res.body.diff.sentences[0]).toMatch(/^now fetches targets that cannot be read from the source/);
  });

  it("gives a reused upload the same manifest, and another tenant's identical upload its own diff", async () => {
    const name = await createPulse();
    const a = await upload(name, V2);
    const b = await upload(name, V2);
    expect(b.body.reused).toBe(true);
    expect(b.body.version.manifest).toEqual(a.body.version.manifest);
    const other = await newTenant("pro");
    const otherName = uniqueName("mf");
    await api("POST", "/v1/pulses", { token: other.token, body: { name: otherName } });
    const c = await api("POST", `/v1/pulses/${otherName}/versions`, {
      token: other.token,
      body: { files: V2, main: "index.ts" },
    });
    expect(c.body.reused).toBe(false); // built again: reuse never crosses tenants
    expect(c.body.diff.against).toBeNull();
    expect(c.body.version.manifest).toEqual(a.body.version.manifest);
  });
});
