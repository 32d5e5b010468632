// npm run deploy:cloudflare: puts the platform on a Cloudflare account. Never run from this project's
// machines (no account is reachable); every step is a wrangler command of the project's own wrangler.
//
// Needs: CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID in the environment (wrangler reads them), the
// Workers Paid plan with Workers for Platforms, R2 and Containers enabled. PULSE_RUNTIME_API_TOKEN (optional,
// defaults to CLOUDFLARE_API_TOKEN) is the token the deployer keeps to upload pulses and create their D1s:
// give it only "Workers Scripts: Edit" and "D1: Edit" on the account.
//
// 1. bundles the three Workers with a dry run and checks their sizes (build:cloudflare);
// 2. creates what is missing: D1 `pulse-platform`, KV namespace `pulse-kv`, R2 bucket `pulse-bundles`,
//    dispatch namespace `pulse-tenants`; writes the D1 and KV ids and the account id into the env.production
//    sections of the wrangler.jsonc files (the local sections keep their placeholders);
// 3. applies migrations/ to the remote D1;
// 4. creates the platform's keys once (.pulse/cloudflare/, mode 0600) and sets the secrets of each Worker:
//    SECRETS_KEYRING and SECRET_REF_KEY (all three), AUTH_JWKS, AUTH_SIGNING_JWK and CLOUDFLARE_API_TOKEN
//    (deployer);
// 5. deploys dispatcher, deployer, then outbound (`wrangler deploy --env production`).

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildCloudflare } from "./build-cloudflare.ts";
import { jwksOf, loadOrCreateKey, loadOrCreateSecretKeys } from "../supervisor/local-auth.ts";
import { wrangler } from "./lib/wrangler-cli.ts";
import { ROOT } from "../supervisor/workers.ts";

const PLACEHOLDER_D1 = "00000000-0000-4000-8000-000000000001";
const PLACEHOLDER_KV = "00000000000040008000000000000002";
const PLACEHOLDER_ACCOUNT = "00000000000000000000000000000000";
const STATE = join(ROOT, ".pulse/cloudflare");

async function must(
  folder: string,
  args: string[],
  options: { input?: string; quiet?: boolean } = {},
): Promise<string> {
  const run = await wrangler(folder, args, options);
  if (run.code !== 0) throw new Error(`wrangler ${args.join(" ")} failed (in ${folder}/)`);
  return run.output;
}

/** The id of an existing resource from a JSON listing, or the id printed by its create command. */
async function ensure(
  kind: string,
  list: string[],
  create: string[],
  find: (items: Record<string, unknown>[]) => string | undefined,
  idFromCreate: RegExp,
): Promise<string> {
  const existing = find(JSON.parse(await must(".", list, { quiet: true })) as Record<string, unknown>[]);
  if (existing) {
    console.log(`${kind}: exists (${existing})`);
    return existing;
  }
  const id = idFromCreate.exec(await must(".", create))?.[1];
  if (!id) throw new Error(`could not read the id of the new ${kind}`);
  console.log(`${kind}: created (${id})`);
  return id;
}

/** Replaces placeholders only after `"env": {`, so the local configuration is left as it is. */
async function fillProductionIds(folder: string, ids: Record<string, string>): Promise<void> {
  const path = join(ROOT, folder, "wrangler.jsonc");
  const text = await readFile(path, "utf8");
  const at = text.indexOf('"env": {');
  if (at < 0) throw new Error(`${path} has no env section`);
  let production = text.slice(at);
  for (const [placeholder, id] of Object.entries(ids)) production = production.replaceAll(placeholder, id);
  await writeFile(path, text.slice(0, at) + production);
}

async function main(): Promise<void> {
  for (const name of ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"]) {
    if (!process.env[name]) throw new Error(`${name} is not set (see the README, "Deploying to Cloudflare")`);
  }
  const { sizes, failed } = await buildCloudflare();
  if (failed.length > 0) throw new Error(`dry runs failed: ${failed.join("; ")}`);
  console.log(sizes.map((s) => `${s.worker}: ${(s.gzipBytes / 1e6).toFixed(2)} MB compressed`).join(", "));

  const d1 = await ensure(
    "D1 pulse-platform",
    ["d1", "list", "--json"],
    ["d1", "create", "pulse-platform"],
    (items) => items.find((d) => d.name === "pulse-platform")?.uuid as string | undefined,
    /"database_id":\s*"([0-9a-f-]{36})"/,
  );
  const kv = await ensure(
    "KV pulse-kv",
    ["kv", "namespace", "list"],
    ["kv", "namespace", "create", "pulse-kv"],
    (items) => items.find((n) => n.title === "pulse-kv")?.id as string | undefined,
    /"id":\s*"([0-9a-f]{32})"/,
  );
  for (const [kind, args] of [
    ["R2 pulse-bundles", ["r2", "bucket", "create", "pulse-bundles"]],
    ["dispatch namespace pulse-tenants", ["dispatch-namespace", "create", "pulse-tenants"]],
  ] as const) {
    const run = await wrangler(".", [...args], { quiet: true });
    if (run.code !== 0 && !/already exists/i.test(run.output)) throw new Error(`${kind}: ${run.output.trim()}`);
    console.log(`${kind}: ${run.code === 0 ? "created" : "exists"}`);
  }
  const ids = { [PLACEHOLDER_D1]: d1, [PLACEHOLDER_KV]: kv, [PLACEHOLDER_ACCOUNT]: process.env.CLOUDFLARE_ACCOUNT_ID! };
  for (const folder of ["dispatcher", "outbound", "deployer"]) await fillProductionIds(folder, ids);

  await must("dispatcher", ["d1", "migrations", "apply", "pulse-platform", "--remote", "--env", "production"]);

  const keys = await loadOrCreateSecretKeys(join(STATE, "secret-keys.json"));
  const signing = await loadOrCreateKey(join(STATE, "signing-key.json"));
  const shared = { SECRETS_KEYRING: keys.SECRETS_KEYRING, SECRET_REF_KEY: keys.SECRET_REF_KEY };
  const secrets: Record<string, Record<string, string>> = {
    outbound: shared,
    dispatcher: shared,
    deployer: {
      ...shared,
      AUTH_JWKS: jwksOf(signing),
      AUTH_SIGNING_JWK: JSON.stringify(signing.privateJwk),
      CLOUDFLARE_API_TOKEN: process.env.PULSE_RUNTIME_API_TOKEN ?? process.env.CLOUDFLARE_API_TOKEN!,
    },
  };
  // Secrets of a Worker that does not exist yet create it: deploy order follows. The dispatcher goes first: the
  // outbound Worker binds its PulseReplayStore class, and Cloudflare refuses a binding to a Durable Object class
  // of a script that does not exist (API code 10061). Its own references to pulse-deployer and pulse-outbound
  // are service references, which the order before this one already relied on being accepted ahead of the
  // Worker they name (the deployer's ROUTES binding to the dispatcher).
  for (const folder of ["dispatcher", "deployer", "outbound"]) {
    await must(folder, ["deploy", "--env", "production"]);
    await must(folder, ["secret", "bulk", "--env", "production"], {
      input: JSON.stringify(secrets[folder]),
      quiet: true,
    });
  }
  console.log(
    `\nDeployed. Admin tokens are signed with ${join(STATE, "signing-key.json")} (kid ${signing.signer.kid}).`,
  );
}

main().catch((error: unknown) => {
  console.error(`deploy:cloudflare: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
