// POST /v1/pulses/{name}/builds: locally the route answers 501 (no containers); with a sandbox registered (the
// stand-in of the SDK interface, as deployer/cloudflare-main.ts registers the real one) it streams the build's
// output as JSON lines, then versions and deploys the bundle, which then serves.

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app as controlPlane } from "../deployer/app.ts";
import { OUTFILE } from "../deployer/build/sandbox-builder.ts";
import { registerSandbox } from "../deployer/build/sandbox-factory.ts";
import type { DeployerEnv } from "../deployer/env.ts";
import { api, newTenant } from "./support/control.ts";
import { BASE, callHost, uniqueName } from "./support/pulses.ts";
import { StandInSandbox, asSandbox } from "./support/stand-in-sandbox.ts";

const project = {
  "index.ts": 'import { shout } from "shout";\nexport default async () => ({ said: shout("hi") });\n',
  "package.json": '{"dependencies":{"shout":"1.0.0"},"scripts":{"test":"node test.js"}}',
};
const BUNDLE =
  'function shout(s) { return s.toUpperCase() + "!"; }\nexport default async () => ({ said: shout("hi") });\n';

/** The control plane in this isolate, with a sandbox registered and a SANDBOX binding present. */
async function callBuilds(tenant: { token: string }, name: string, body: unknown, sandbox: StandInSandbox) {
  registerSandbox(() => asSandbox(sandbox));
  const { a } = env.TEST_KEYS;
  const { d: _private, ...publicJwk } = a;
  const deployerEnv = {
    ...env,
    AUTH_JWKS: JSON.stringify({ keys: [publicJwk] }),
    SANDBOX: {},
  } as unknown as DeployerEnv;
  const res = await controlPlane.fetch(
    new Request(`http://127.0.0.1/v1/pulses/${name}/builds`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    deployerEnv,
  );
  return {
    res,
    lines:
      res.status === 200
        ? (await res.text())
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as Record<string, unknown>)
        : [],
  };
}

async function newPulse() {
  const tenant = await newTenant("free");
  const name = uniqueName("sbx");
  expect((await api("POST", "/v1/pulses", { token: tenant.token, body: { name } })).status).toBe(201);
  return { tenant, name };
}

describe("server-side builds", () => {
  it("answer 501 sandbox_unavailable where no containers are configured (the local platform)", async () => {
    const { tenant, name } = await newPulse();
    const res = await api("POST", `/v1/pulses/${name}/builds`, {
      token: tenant.token,
      body: { files: project, main: "index.ts" },
    });
    expect(res.status).toBe(501);
    expect(res.body.error.code).toBe("sandbox_unavailable");
  });

  it("stream the build's output, then version and deploy the bundle, which serves", async () => {
    const { tenant, name } = await newPulse();
    const sandbox = new StandInSandbox({
      "npm install": { chunks: [["stdout", "added 1 package\n"]] },
      "npm test": { chunks: [["stdout", "1 passing\n"]] },
      "npx --yes esbuild": { writes: { [OUTFILE]: BUNDLE } },
    });
    const { res, lines } = await callBuilds(
      tenant,
      name,
      { files: project, main: "index.ts", runTests: true, deploy: true },
      sandbox,
    );
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    expect(lines.slice(0, 2)).toEqual([
      { type: "output", step: "install", stream: "stdout", data: "added 1 package\n" },
      { type: "output", step: "test", stream: "stdout", data: "1 passing\n" },
    ]);
    expect(lines.at(-1)).toMatchObject({
      type: "result",
      ok: true,
      deployed: true,
      versionId: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(sandbox.destroyed).toBe(1);
    expect(await (await callHost(`${name}.${BASE}`)).json()).toEqual({ said: "HI!" });
  });

  it("report a failing step in the result and create no version", async () => {
    const { tenant, name } = await newPulse();
    const sandbox = new StandInSandbox({ "npm test": { exitCode: 1, chunks: [["stderr", "1 failing\n"]] } });
    const { lines } = await callBuilds(
      tenant,
      name,
      { files: project, main: "index.ts", runTests: true, deploy: true },
      sandbox,
    );
    expect(lines.at(-1)).toEqual({
      type: "result",
      ok: false,
      step: "test",
      reason: "failed",
      exitCode: 1,
      message: "test failed: `npm test` exited with 1",
      output: "1 failing\n",
    });
    expect((await api("GET", `/v1/pulses/${name}/versions`, { token: tenant.token })).body.versions).toEqual([]);
    expect((await callHost(`${name}.${BASE}`)).status).toBe(404);
  });
});
