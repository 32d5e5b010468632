// Deploys fixture pulses and calls them through the real dispatcher, as an end user would.

import { env, exports } from "cloudflare:workers";
import { seedPulse } from "../../scripts/lib/seed.ts";

export const BASE = "pulses.localhost";

let counter = 0;
/** A fresh, unique pulse name per call, so tests never share state by accident. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
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

export async function deployFixture(fixture: string, options: { name?: string; tenant?: string } = {}): Promise<DeployedPulse> {
  const name = options.name ?? uniqueName(fixture.replace(/[^a-z0-9]/g, "").slice(0, 20) || "p");
  const { pulseId, versionId } = await seedPulse(env.DB, env.BUNDLES, {
    tenant: options.tenant ?? `tenant-${name}`,
    pulse: name,
    code: fixtureCode(fixture),
  });
  return { name, pulseId, versionId, call: (path = "/", init) => callHost(`${name}.${BASE}`, path, init) };
}

/** A request to the dispatcher with the given Host, the way an end user's request arrives. */
export function callHost(host: string, path = "/", init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("host", host);
  return (exports as unknown as { default: Fetcher }).default.fetch(new Request(`http://${host}${path}`, { ...init, headers }));
}
