// Deploys fixture pulses and calls them through the real dispatcher, as an end user would.

import { env, exports } from "cloudflare:workers";
import { seedPulse } from "../../supervisor/seed.ts";
import { CloudflareApi } from "../../deployer/cloudflare/api.ts";
import { CloudflarePublisher } from "../../deployer/cloudflare/publisher.ts";
import type { DeployerEnv } from "../../deployer/env.ts";
import { ACCOUNT, NAMESPACE, sdkFetchVia, TOKEN } from "./fake-cloudflare-api.ts";

export const BASE = "pulses.localhost";

let counter = 0;
/** A fresh, unique pulse name per call, so tests never share state by accident. */
export function uniqueName(prefix: string): string {
  counter += 1;
  // Fixed width: no name is the start of another (tests find their rows with LIKE and includes, and the test
  // files of a project share one store; workerd's clock stands still within a request, so times repeat).
  return `${prefix}-${Date.now().toString(36)}-${String(counter).padStart(5, "0")}`;
}

export function fixtureCode(fixture: string): string {
  const built = env.TEST_PULSES[fixture];
  if (!built) throw new Error(`no fixture named ${fixture}`);
  if (!("code" in built)) throw new Error(`fixture ${fixture} did not build: ${JSON.stringify(built.errors)}`);
  return built.code;
}

export interface DeployedPulse {
  name: string;
  pulseId: string;
  versionId: string;
  call(path?: string, init?: RequestInit): Promise<Response>;
}

export async function deployFixture(
  fixture: string,
  options: { name?: string; tenant?: string } = {},
): Promise<DeployedPulse> {
  const name = options.name ?? uniqueName(fixture.replace(/[^a-z0-9]/g, "").slice(0, 20) || "p");
  const { pulseId, versionId } = await seedPulse(env.DB, env.BUNDLES, {
    tenant: options.tenant ?? `tenant-${name}`,
    pulse: name,
    code: fixtureCode(fixture),
  });
  if (env.SCRIPT_HOST === "dispatch-namespace") await uploadToNamespace(pulseId, versionId);
  return { name, pulseId, versionId, call: (path = "/", init) => callHost(`${name}.${BASE}`, path, init) };
}

/**
 * In the dispatch-namespace project a seeded version must also be uploaded, as the deployer does before a
 * version goes live: the same publisher and SDK, to the fake API Worker the stand-in loads from.
 */
async function uploadToNamespace(pulseId: string, versionId: string): Promise<void> {
  const fake = env.FAKE_CLOUDFLARE;
  if (!fake) throw new Error("the dispatch-namespace project needs the FAKE_CLOUDFLARE binding");
  const api = new CloudflareApi({
    accountId: ACCOUNT,
    apiToken: TOKEN,
    namespace: NAMESPACE,
    fetch: sdkFetchVia((request) => fake.fetch(request)),
  });
  await new CloudflarePublisher(env as unknown as DeployerEnv, api).publish(pulseId, versionId);
}

/** A request to the dispatcher with the given Host, the way an end user's request arrives. */
export function callHost(host: string, path = "/", init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("host", host);
  return (exports as unknown as { default: Fetcher }).default.fetch(
    new Request(`http://${host}${path}`, { ...init, headers }),
  );
}
