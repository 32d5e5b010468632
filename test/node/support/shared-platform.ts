// The run's shared platform (shared-platform-setup.ts) from a test file: waits until it is ready, and gives the
// file a tenant of its own, with a fresh name, so a file run alone or with the others sees only its own pulses.

import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { inject } from "vitest";
import { controlApi, get } from "./platform-process.ts";
import { BOOT_FAILURE_FILE } from "./shared-platform-setup.ts";

/** How long a file waits for the platform to come up (its start on a busy 2-core machine takes up to a minute). */
const READY_WAIT_MS = 150_000;
const READY_POLL_MS = 250;

export interface SharedPlatform {
  port: number;
  origin: string;
  /** An admin token: files create their tenants with it. */
  adminToken: string;
  /** The demo tenant's token (`npm start`'s seeded counter): only the export test reads that seed. */
  demoToken: string;
}

export interface PlatformTenant extends SharedPlatform {
  /** The tenant's name: a label and a random suffix. */
  name: string;
  /** A developer token of the tenant. */
  token: string;
}

let ready: Promise<SharedPlatform> | undefined;

/** The shared platform once it serves (`/readyz` answers 200), with its tokens. */
export function sharedPlatform(): Promise<SharedPlatform> {
  ready ??= waitUntilReady();
  return ready;
}

async function waitUntilReady(): Promise<SharedPlatform> {
  const { port, stateDir } = inject("sharedPlatform");
  const deadline = Date.now() + READY_WAIT_MS;
  let last = "no answer";
  for (;;) {
    const failure = await readFile(join(stateDir, BOOT_FAILURE_FILE), "utf8").catch(() => undefined);
    if (failure !== undefined) throw new Error(`the shared platform did not start: ${failure}`);
    const answer = await get(port, "127.0.0.1", "/readyz", 5000).catch((e: Error) => ({ status: 0, body: e.message }));
    if (answer.status === 200) break;
    last = `${answer.status} ${answer.body}`;
    if (Date.now() > deadline)
      throw new Error(`the shared platform was not ready within ${READY_WAIT_MS} ms; /readyz said ${last}`);
    await new Promise((r) => setTimeout(r, READY_POLL_MS));
  }
  const tokens = JSON.parse(await readFile(join(stateDir, "tokens.json"), "utf8")) as { admin: string; demo: string };
  return { port, origin: `http://127.0.0.1:${port}`, adminToken: tokens.admin, demoToken: tokens.demo };
}

/** Creates a tenant (on `plan`) with a developer token on the shared platform; throws if the platform refuses. */
export async function platformTenant(label: string, plan = "free"): Promise<PlatformTenant> {
  const platform = await sharedPlatform();
  const name = `${label}-${randomBytes(3).toString("hex")}`;
  const created = await controlApi(platform.port, platform.adminToken, "POST", "/v1/admin/tenants", { name, plan });
  if (created.status !== 201) throw new Error(`tenant ${name} not created: ${JSON.stringify(created.body)}`);
  const issued = await controlApi(platform.port, platform.adminToken, "POST", `/v1/admin/tenants/${name}/tokens`, {
    subject: `${name}-developer`,
  });
  if (issued.status !== 201) throw new Error(`no token for tenant ${name}: ${JSON.stringify(issued.body)}`);
  return { ...platform, name, token: issued.body.token as string };
}
