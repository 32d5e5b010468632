// The local platform: the dispatcher and deployer Workers on workerd through Miniflare's API (measured
// ~4x the throughput of the `wrangler dev` proxy on this hardware), state persisted under one folder.

import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { join } from "node:path";
import type { BundleBucket } from "../../platform/bundle-store.ts";
import type { PlatformDb } from "../../platform/registry.ts";
import { mintToken, type Principal } from "../../platform/tokens.ts";
import { writeShimModule } from "../build-shim.ts";
import { jwksOf, loadOrCreateKey, loadOrCreateSecretKeys, newLocalKey, newSecretKeys, type LocalKey } from "./local-auth.ts";
import { migrate } from "./migrations.ts";
import { prepareWorker, ROOT } from "./workers.ts";

export interface LocalPlatformOptions {
  port: number;
  /** Persisted state (D1, KV, R2, the signing key); undefined keeps everything in memory. */
  stateDir?: string;
  /**
   * Dev only: run the test upstream Worker and let pulses reach it as https://upstream.test and
   * https://other.test (mapped after the egress policy check; see outbound/env.ts EGRESS_UPSTREAMS).
   */
  devUpstreams?: boolean;
  /** Drop the runtime's stdout/stderr (pulse and egress logs): for the bench, whose output is its report. */
  quiet?: boolean;
}

/** The hosts the dev upstream answers for. */
export const DEV_UPSTREAM_HOSTS = ["upstream.test", "other.test"];

export interface LocalPlatform {
  url: URL;
  db: PlatformDb;
  bundles: BundleBucket;
  migrationsApplied: string[];
  /** A control-plane token signed with the local key. */
  mint(principal: Principal, expiresIn?: string): Promise<string>;
  dispose(): Promise<void>;
}

export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const buildDir = join(ROOT, ".pulse/build");
  const key: LocalKey = options.stateDir
    ? await loadOrCreateKey(join(options.stateDir, "auth/signing-key.json"))
    : (await newLocalKey("ephemeral")).key;
  const secretKeys = options.stateDir ? await loadOrCreateSecretKeys(join(options.stateDir, "auth/secret-keys.json")) : newSecretKeys();
  const upstreams: Record<string, string> = options.devUpstreams ? { EGRESS_UPSTREAMS: JSON.stringify(Object.fromEntries(DEV_UPSTREAM_HOSTS.map((h) => [h, "UPSTREAM_TEST"]))) } : {};
  const workers = await Promise.all([
    prepareWorker("dispatcher", buildDir, { bindings: { ...secretKeys, ...upstreams } }),
    prepareWorker("deployer", buildDir, {
      before: writeShimModule,
      bindings: {
        SECRETS_KEYRING: secretKeys.SECRETS_KEYRING,
        AUTH_JWKS: jwksOf(key),
        AUTH_SIGNING_JWK: JSON.stringify(key.privateJwk),
        ...(options.port ? { PULSE_URL_TEMPLATE: `http://{name}.pulses.localhost:${options.port}` } : {}),
      },
    }),
    ...(options.devUpstreams ? [prepareWorker("test/upstream", buildDir)] : []),
  ]);
  if (options.devUpstreams) {
    const dispatcher = workers[0]!;
    dispatcher.serviceBindings = { ...(dispatcher.serviceBindings as object), UPSTREAM_TEST: "pulse-test-upstream" };
  }
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1", // loopback only
      port: options.port,
      workers,
      ...(options.stateDir ? { resourcePersistencePath: options.stateDir } : {}),
      ...(options.quiet ? { handleStructuredLogs: () => {} } : {}),
    } as unknown as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  const url = await mf.ready;
  const db = (await mf.getD1Database("DB", "pulse-dispatcher")) as unknown as PlatformDb;
  const bundles = (await mf.getR2Bucket("BUNDLES", "pulse-dispatcher")) as unknown as BundleBucket;
  const migrationsApplied = await migrate(db);
  return {
    url,
    db,
    bundles,
    migrationsApplied,
    mint: (principal, expiresIn = "30d") => mintToken(key.signer, principal, { expiresIn }),
    dispose: () => mf.dispose(),
  };
}
