import { describe, expect, it } from "vitest";
import { cachedLookup, purgeRoutes } from "../dispatcher/route-cache.ts";
import type { RouteLookup } from "../platform/registry.ts";
import { seedPulse } from "../supervisor/seed.ts";
import { env } from "cloudflare:workers";
import { deployFixture, fixtureCode } from "./support/pulses.ts";

describe("route cache", () => {
  it("loads once per TTL, reloads after expiry and after a purge", async () => {
    let loads = 0;
    const load = async (): Promise<RouteLookup> => {
      loads += 1;
      return { kind: "not_found" };
    };
    const name = `cache-${Date.now()}`;
    await cachedLookup(name, 50, load);
    await cachedLookup(name, 50, load);
    expect(loads).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    await cachedLookup(name, 50, load);
    expect(loads).toBe(2);
    purgeRoutes(name);
    await cachedLookup(name, 50, load);
    expect(loads).toBe(3);
    await cachedLookup(name, 0, load); // TTL 0: never cached
    await cachedLookup(name, 0, load);
    expect(loads).toBe(5);
  });

  it("serves the new version of a pulse once its route is purged", async () => {
    const pulse = await deployFixture("echo");
    expect((await pulse.call()).status).toBe(200);
    await seedPulse(env.DB, env.BUNDLES, {
      tenant: `tenant-${pulse.name}`,
      pulse: pulse.name,
      code: fixtureCode("returns"),
    });
    purgeRoutes(pulse.name);
    expect(await (await pulse.call("/?mode=string")).json()).toBe("hello");
  });
});
