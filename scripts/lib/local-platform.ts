// The local platform: the dispatcher and deployer Workers on workerd through Miniflare's API (measured
// ~4x the throughput of the `wrangler dev` proxy on this hardware), state persisted under one folder.
// The runtime can be restarted in place (same port, same state): the watchdog does that when a pulse
// stalls it.

import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { join } from "node:path";
import type { BundleBucket } from "../../platform/bundle-store.ts";
import type { PlatformDb } from "../../platform/registry.ts";
import { mintToken, type Principal } from "../../platform/tokens.ts";
import { writeShimModule } from "../build-shim.ts";
import { writeStudioModule } from "../build-studio.ts";
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
  /** Where the runtime's log lines go (pulse and egress logs, request lines); default: printed. */
  onLog?: (message: string, level: string) => void;
}

/** The hosts the dev upstream answers for. */
export const DEV_UPSTREAM_HOSTS = ["upstream.test", "other.test"];

export interface LocalPlatform {
  readonly url: URL;
  readonly db: PlatformDb;
  readonly bundles: BundleBucket;
  migrationsApplied: string[];
  /** A control-plane token signed with the local key. */
  mint(principal: Principal, expiresIn?: string): Promise<string>;
  /**
   * Kills workerd (SIGKILL) and starts it again with the same options and state. `quarantine` (pulse id ->
   * until and the version that stalled) is handed to the dispatcher at boot, so those versions cannot run
   * again, not even in the moment before the database records the quarantine.
   */
  restart(quarantine?: Record<string, { until: number; versionId: string }>): Promise<void>;
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
      before: () => Promise.all([writeShimModule(), writeStudioModule()]),
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
  const onLog = options.onLog ?? ((message: string) => console.log(message));
  const miniflareOptions = () =>
    convertV4MiniflareOptions({
      host: "127.0.0.1", // loopback only
      port: options.port,
      workers,
      ...(options.stateDir ? { resourcePersistencePath: options.stateDir } : {}),
      handleStructuredLogs: (log: { message: string; level: string }) => onLog(log.message, log.level),
    } as unknown as Parameters<typeof convertV4MiniflareOptions>[0]);

  let mf = new Miniflare(miniflareOptions());
  let url = await mf.ready;
  let db = (await mf.getD1Database("DB", "pulse-dispatcher")) as unknown as PlatformDb;
  let bundles = (await mf.getR2Bucket("BUNDLES", "pulse-dispatcher")) as unknown as BundleBucket;
  const migrationsApplied = await migrate(db);
  return {
    get url() {
      return url;
    },
    get db() {
      return db;
    },
    get bundles() {
      return bundles;
    },
    migrationsApplied,
    mint: (principal, expiresIn = "30d") => mintToken(key.signer, principal, { expiresIn }),
    async restart(quarantine) {
      await mf.dispose(); // SIGKILL: works even when the runtime is stuck in a loop
      if (quarantine) {
        const dispatcher = workers[0]!;
        dispatcher.bindings = { ...(dispatcher.bindings as object), QUARANTINED_PULSES: JSON.stringify(quarantine) };
      }
      mf = new Miniflare(miniflareOptions());
      url = await mf.ready;
      db = (await mf.getD1Database("DB", "pulse-dispatcher")) as unknown as PlatformDb;
      bundles = (await mf.getR2Bucket("BUNDLES", "pulse-dispatcher")) as unknown as BundleBucket;
    },
    dispose: () => mf.dispose(),
  };
}
