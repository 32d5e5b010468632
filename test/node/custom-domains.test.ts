// Custom domains on the real local platform (`npm start`), driven by `pulse domains` as a developer runs it:
// add shows the TXT record to publish, the host is not the pulse's until verified (here an admin vouches: the
// machine has no public DNS), then it serves the pulse through the local edge, and `remove` stops that at once.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliRunner } from "./support/cli-process.ts";
import { controlApi, get, twoFilePulse } from "./support/platform-process.ts";
import { platformTenant, type PlatformTenant } from "./support/shared-platform.ts";

let home: string;
let tenant: PlatformTenant;
let cli: ReturnType<typeof cliRunner>;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "pulse-domains-home-"));
  tenant = await platformTenant("domains");
  cli = cliRunner(join(home, "config"));
  expect(cli.pulse(["login", "--url", tenant.origin, "--token", tenant.token]).code).toBe(0);
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe("pulse domains", () => {
  it("adds a hostname, shows the proof, serves the pulse there once verified, and stops when removed", async () => {
    const name = `dom-${tenant.name.split("-").pop()}`;
    expect((await controlApi(tenant.port, tenant.token, "POST", "/v1/pulses", { name })).status).toBe(201);
    const deployed = await controlApi(tenant.port, tenant.token, "POST", `/v1/pulses/${name}/versions`, {
      ...twoFilePulse("hello"),
    });
    expect(deployed.status).toBe(201);
    const hostname = `shop.${name}.example.com`;

    const added = cli.json(["domains", "add", name, hostname.toUpperCase()]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.body).toMatchObject({ hostname, status: "pending" });
    expect(added.body.challenge.dns.name).toBe(`_pulse-challenge.${hostname}`);
    expect(cli.pulse(["domains", "add", name, hostname]).stdout).toContain(`_pulse-challenge.${hostname}`);

    // No TXT record can be published here: the check fails (not found, or no resolver reachable) and says so.
    const check = cli.pulse(["domains", "verify", name, hostname]);
    expect(check.code).not.toBe(0);
    expect(check.stderr).toMatch(/domain_not_verified|domain_check_unavailable/);
    expect(JSON.parse((await get(tenant.port, hostname, "/?name=ada")).body)).not.toEqual({ message: "hello, ada" });

    const vouched = await controlApi(tenant.port, tenant.adminToken, "POST", `/v1/admin/domains/${hostname}/verify`);
    expect(vouched.status).toBe(200);
    expect(cli.json(["domains", "list", name]).body).toEqual([
      expect.objectContaining({ hostname, status: "verified" }),
    ]);
    expect(JSON.parse((await get(tenant.port, `${hostname}:8080`, "/?name=ada")).body)).toEqual({
      message: "hello, ada",
    });

    expect(cli.json(["domains", "remove", name, hostname]).body).toEqual({ removed: true, hostname });
    expect(JSON.parse((await get(tenant.port, hostname, "/?name=ada")).body)).not.toEqual({ message: "hello, ada" });
    expect(cli.pulse(["domains", "list", name]).stdout).toContain("No custom domains");
  });
});
