// The control API's own rate limits, from a client's side: a token over its allowance of requests, a token and
// a tenant over their build allowance (charged by upload size), each answered 429 rate_limited with
// Retry-After while other tenants carry on (deployer/rate-limit.ts, limits in deployer/limits.ts).

import { describe, expect, it } from "vitest";
import {
  BUILD_BYTES_PER_UNIT,
  BUILD_UNITS_PER_MINUTE_PER_TENANT,
  BUILD_UNITS_PER_MINUTE_PER_TOKEN,
  CONTROL_REQUESTS_PER_MINUTE_PER_TOKEN,
} from "../deployer/limits.ts";
import { api, greeter, newTenant, tokenFor, type ApiResponse } from "./support/control.ts";
import { uniqueName } from "./support/pulses.ts";
import { MAX_SOURCE_BYTES } from "../platform/source-rules.ts";

/** An upload refused before any build (its main file is missing) whose body costs `units` build units. */
const heavyUpload = (units: number) => ({
  files: { "index.ts": "x".repeat((units - 1) * BUILD_BYTES_PER_UNIT + 1_000) },
  main: "missing.ts",
});

function expectRateLimited(res: ApiResponse, who: string) {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe("rate_limited");
  expect(res.body.error.message).toContain(who);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
}

describe("control API rate limits", () => {
  it("refuse a token's requests past its allowance a minute, and only that token's", async () => {
    const noisy = await newTenant();
    const quiet = await newTenant();
    // The bucket refills while the loop runs: the refusal comes after the allowance plus what refilled.
    let served = 0;
    let refused: ApiResponse | undefined;
    while (!refused && served <= 2 * CONTROL_REQUESTS_PER_MINUTE_PER_TOKEN) {
      const res = await api("GET", "/v1/whoami", { token: noisy.token });
      if (res.status === 200) served++;
      else refused = res;
    }
    expect(served).toBeGreaterThanOrEqual(CONTROL_REQUESTS_PER_MINUTE_PER_TOKEN);
    expectRateLimited(refused!, "this token");
    expect((await api("GET", "/v1/whoami", { token: quiet.token })).status).toBe(200);
  }, 120_000);

  it("charge uploads by size, per token and per tenant, so large builds are refused first", async () => {
    const tenant = await newTenant();
    const units = 1 + MAX_SOURCE_BYTES / BUILD_BYTES_PER_UNIT; // the largest source
    const name = uniqueName("rl");
    expect((await api("POST", "/v1/pulses", { token: tenant.token, body: { name } })).status).toBe(201);
    const upload = (token: string) => api("POST", `/v1/pulses/${name}/versions`, { token, body: heavyUpload(units) });
    const perToken = Math.floor(BUILD_UNITS_PER_MINUTE_PER_TOKEN / units);
    for (let i = 0; i < perToken; i++) expect((await upload(tenant.token)).status).toBe(422); // refused source, not rate
    expectRateLimited(await upload(tenant.token), "this token");

    // More developers of the same tenant, each within its own token's allowance, share the tenant's.
    let spent = perToken * units;
    let refused: ApiResponse | undefined;
    for (let developer = 0; !refused && developer < 10; developer++) {
      const token = await tokenFor({
        role: "developer",
        sub: `dev${developer}-of-${tenant.name}`,
        tenantId: tenant.id,
      });
      for (let i = 0; !refused && i < 2; i++) {
        const res = await upload(token);
        if (res.status === 422) spent += units;
        else refused = res;
      }
    }
    expectRateLimited(refused!, "this tenant");
    expect(spent).toBeGreaterThan(BUILD_UNITS_PER_MINUTE_PER_TENANT - units);

    // Meanwhile another tenant builds, and the refused token may still read.
    const other = await newTenant();
    const otherName = uniqueName("rl");
    await api("POST", "/v1/pulses", { token: other.token, body: { name: otherName } });
    expect(
      (await api("POST", `/v1/pulses/${otherName}/versions`, { token: other.token, body: greeter("ok") })).status,
    ).toBe(201);
    expect((await api("GET", `/v1/pulses/${name}`, { token: tenant.token })).status).toBe(200);
  }, 120_000);
});
