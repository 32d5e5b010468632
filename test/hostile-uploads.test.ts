// Uploads made to hurt the control plane or to learn about other tenants: sources that nest deeply enough to
// kill the bundler (the 422 names the place; the next tenant's upload still builds), and identical sources
// uploaded by two tenants (reuse never answers across tenants). See SECURITY.md.

import { beforeAll, describe, expect, it } from "vitest";
import { MAX_NESTING_DEPTH } from "../platform/source-rules.ts";
import { api, greeter, newTenant, type TestTenant } from "./support/control.ts";
import { uniqueName } from "./support/pulses.ts";

let attacker: TestTenant;
let bystander: TestTenant;
beforeAll(async () => {
  [attacker, bystander] = await Promise.all([newTenant(), newTenant()]);
});

async function pulseOf(tenant: TestTenant): Promise<string> {
  const name = uniqueName("up");
  expect((await api("POST", "/v1/pulses", { token: tenant.token, body: { name } })).status).toBe(201);
  return name;
}

const upload = (tenant: TestTenant, name: string, source: unknown) =>
  api("POST", `/v1/pulses/${name}/versions`, { token: tenant.token, body: source });

const nested = (n: number) => `export default async function run() {\n  return ${"(".repeat(n)}1${")".repeat(n)};\n}\n`;

describe("sources that nest too deeply", () => {
  it("are refused with 422 source_invalid naming file, line and column, before the bundler sees them", async () => {
    const name = await pulseOf(attacker);
    const res = await upload(attacker, name, { files: { "index.ts": nested(8_000) }, main: "index.ts" });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("source_invalid");
    expect(res.body.error.message).toMatch(
      new RegExp(`^index\\.ts:2:\\d+: nesting is deeper than ${MAX_NESTING_DEPTH} levels`),
    );
    expect(res.body.error.details[0]).toMatchObject({ file: "index.ts", line: 2 });
    // A deep but allowed expression still builds.
    expect((await upload(attacker, name, { files: { "index.ts": nested(100) }, main: "index.ts" })).status).toBe(201);
  });

  it("that slip past the check kill one esbuild instance at most: the next tenant's upload builds", async () => {
    // JSX elements are not counted by the check: 8,000 of them exhaust esbuild-wasm's stack.
    const jsx = `export default async function run() {\n  return String(${"<a>".repeat(8_000)}${"</a>".repeat(8_000)});\n}\n`;
    const res = await upload(attacker, await pulseOf(attacker), { files: { "index.tsx": jsx }, main: "index.tsx" });
    const after = await upload(bystander, await pulseOf(bystander), {
      ...greeter(uniqueName("after-crash")),
      deploy: true,
    });
    expect(after.status, JSON.stringify(after.body)).toBe(201);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("build_failed");
  }, 120_000); // the crash, its retry on a fresh instance and a cold build, on a busy 2-core machine
});

describe("identical sources of two tenants", () => {
  it("are built for each tenant: reuse says nothing about another tenant's uploads", async () => {
    const source = greeter(uniqueName("oracle"));
    const first = await upload(bystander, await pulseOf(bystander), source);
    expect(first.body.reused).toBe(false);
    const probe = await upload(attacker, await pulseOf(attacker), source);
    expect(probe.status).toBe(201);
    expect(probe.body.reused).toBe(false);
    expect(probe.body.buildMs).toBeGreaterThan(0);
    // Within one tenant, identical source is still reused.
    expect((await upload(attacker, await pulseOf(attacker), source)).body.reused).toBe(true);
  });
});
