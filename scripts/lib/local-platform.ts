// The local platform: the dispatcher and deployer Workers on workerd through Miniflare's API (measured
// ~4x the throughput of the `wrangler dev` proxy on this hardware), state persisted under one folder.

import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { join } from "node:path";
import type { BundleBucket } from "../../platform/bundle-store.ts";
import type { PlatformDb } from "../../platform/registry.ts";
import { migrate } from "./migrations.ts";
import { PLATFORM_WORKERS, prepareWorker, ROOT } from "./workers.ts";

export interface LocalPlatformOptions {
  port: number;
  /** Persisted state (D1, KV, R2); undefined keeps everything in memory. */
  stateDir?: string;
  /** Extra Workers run beside the platform (the bench's plain baseline Worker). */
  extraWorkers?: Record<string, unknown>[];
  log?: boolean;
}

export interface LocalPlatform {
  url: URL;
  db: PlatformDb;
  bundles: BundleBucket;
  migrationsApplied: string[];
  dispose(): Promise<void>;
}

export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const buildDir = join(ROOT, ".pulse/build");
  const workers = await Promise.all(PLATFORM_WORKERS.map((folder) => prepareWorker(folder, buildDir)));
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1", // loopback only
      port: options.port,
      workers: [...workers, ...(options.extraWorkers ?? [])],
      ...(options.stateDir ? { resourcePersistencePath: options.stateDir } : {}),
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  const url = await mf.ready;
  const db = (await mf.getD1Database("DB", "pulse-dispatcher")) as unknown as PlatformDb;
  const bundles = (await mf.getR2Bucket("BUNDLES", "pulse-dispatcher")) as unknown as BundleBucket;
  const migrationsApplied = await migrate(db);
  return { url, db, bundles, migrationsApplied, dispose: () => mf.dispose() };
}
