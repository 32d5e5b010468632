// The local platform: the dispatcher and deployer Workers on workerd through Miniflare's API (measured
// ~4x the throughput of the `wrangler dev` proxy on this hardware), state persisted under one folder.
// The runtime can be restarted in place (same port, same state): the watchdog does that when a pulse
// stalls it. With `cells`, pulses run in that many separate workerd processes (dispatcher/cell/protocol.ts),
// each under a per-isolate heap limit, and the watchdog restarts a stalled or crashed cell alone.

import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import { frontDoor, PUBLIC_INTERNET_WORKER, publicEgressOnly } from "./edge.ts";
import { freePort, reservePort } from "./free-port.ts";
import { listenerRssMiB, workerdRssMiB } from "./process-memory.ts";
import { CELL_SECRET_HEADER } from "../dispatcher/cell/protocol.ts";
import { STARTUP_MARKER_KEY } from "../dispatcher/readiness.ts";
import type { BundleBucket } from "../platform/bundle-store.ts";
import type { PlatformDb } from "../platform/registry.ts";
import { mintToken, type Principal } from "../platform/tokens.ts";
import { writeShimModule } from "./build/shim-module.ts";
import { writeStudioModule } from "./build/studio-module.ts";
import {
  jwksOf,
  loadOrCreateKey,
  loadOrCreateSecretKeys,
  newLocalKey,
  newSecretKeys,
  type LocalKey,
} from "./local-auth.ts";
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
  /** Where the runtime's log lines go (pulse and egress logs, request lines); default: printed. `cell` says
   * which runtime cell wrote the line (undefined: the dispatcher's process). */
  onLog?: (message: string, level: string, cell?: number) => void;
  /** Runtime cells: 0 runs pulses in the dispatcher's own process (the Worker Loader host). */
  cells?: number;
}

/** Runtime cells `npm start` and the bench run by default (PULSE_CELLS overrides). */
export const DEFAULT_CELLS = 3;

/**
 * V8 heap limit of each isolate: a pulse that allocates past it aborts its cell, not the platform. Miniflare reads
 * it from the environment whenever it starts workerd, including when it restarts a crashed one by itself, so it
 * is set for the whole process and applies to the dispatcher's process too (whose isolates stay far below it).
 * Measured: set only around a cell's start, a cell that Miniflare restarted after a crash ran without it.
 */
export const CELL_HEAP_LIMIT_MIB = 512;

/** One runtime cell: where the watchdog probes it, and how to restart it. */
export interface RuntimeCell {
  readonly index: number;
  readonly url: URL;
  /** workerd's inspector for this cell (loopback): the watchdog reads each pulse isolate's heap there. */
  readonly inspector: URL;
  /** host:port of its RPC socket (the Cell entrypoint), which the dispatcher calls. */
  readonly rpcAddress: string;
  restart(): Promise<void>;
  /** Resident memory of its workerd process, in MiB (NaN while it is down). */
  rssMiB(): number;
  /** Asks the dispatcher, through the cell, to send it no new requests (`true`) or to take it back (`false`). */
  drain(draining: boolean): Promise<void>;
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
  /** The runtime cells (empty without `cells`). */
  readonly cells: readonly RuntimeCell[];
  /** Resident memory of the dispatcher's workerd process (control plane, storage, and pulses without cells), in MiB. */
  rssMiB(): number;
  /** host:port of the dispatcher's CellServices socket, which the cells call (undefined without `cells`). */
  readonly cellServicesAddress?: string;
  /** Says the platform has finished starting: until then its /readyz answers 503 (dispatcher/readiness.ts). */
  markStarted(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const buildDir = join(ROOT, ".pulse/build");
  const key: LocalKey = options.stateDir
    ? await loadOrCreateKey(join(options.stateDir, "auth/signing-key.json"))
    : (await newLocalKey("ephemeral")).key;
  const secretKeys = options.stateDir
    ? await loadOrCreateSecretKeys(join(options.stateDir, "auth/secret-keys.json"))
    : newSecretKeys();
  const upstreams: Record<string, string> = options.devUpstreams
    ? { EGRESS_UPSTREAMS: JSON.stringify(Object.fromEntries(DEV_UPSTREAM_HOSTS.map((h) => [h, "UPSTREAM_TEST"]))) }
    : {};
  // A new id each start: a marker left in the persisted state by an earlier run does not count.
  const startupId = randomUUID();
  const workers = await Promise.all([
    prepareWorker("dispatcher", buildDir, { bindings: { ...secretKeys, ...upstreams, STARTUP_ID: startupId } }),
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
  if (options.port) reservePort(options.port); // not bound until the cells are up: no cell may take it meanwhile
  const { cells, servicesAddress } = options.cells
    ? await startCells(options.cells, workers[0]!, buildDir, onLog)
    : { cells: [], servicesAddress: undefined };
  // End users reach the dispatcher on its own socket, and its fetch() reaches public addresses only (edge.ts).
  const publicPort = options.port || (await freePort());
  frontDoor(workers[0]!, publicPort);
  publicEgressOnly(workers[0]!);
  workers[0]!.bindings = { ...(workers[0]!.bindings as object), LOCAL_EDGE: "true" };
  const supervisorPort = await freePort();
  const miniflareOptions = () =>
    convertV4MiniflareOptions({
      host: "127.0.0.1", // loopback only
      port: supervisorPort,
      workers: [...workers, PUBLIC_INTERNET_WORKER],
      ...(options.stateDir ? { resourcePersistencePath: options.stateDir } : {}),
      handleStructuredLogs: (log: { message: string; level: string }) => onLog(log.message, log.level),
    } as unknown as Parameters<typeof convertV4MiniflareOptions>[0]);

  let mf = new Miniflare(miniflareOptions());
  await mf.ready;
  const url = new URL(`http://127.0.0.1:${publicPort}/`);
  let db = (await mf.getD1Database("DB", "pulse-dispatcher")) as unknown as PlatformDb;
  let bundles = (await mf.getR2Bucket("BUNDLES", "pulse-dispatcher")) as unknown as BundleBucket;
  const migrationsApplied = await migrate(db);
  let started = false;
  const recordStarted = () => bundles.put(STARTUP_MARKER_KEY, startupId);
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
    rssMiB: () => listenerRssMiB(Number(url.port)),
    mint: (principal, expiresIn = "30d") => mintToken(key.signer, principal, { expiresIn }),
    async restart(quarantine) {
      await mf.dispose(); // SIGKILL: works even when the runtime is stuck in a loop
      if (quarantine) {
        const dispatcher = workers[0]!;
        dispatcher.bindings = { ...(dispatcher.bindings as object), QUARANTINED_PULSES: JSON.stringify(quarantine) };
      }
      mf = new Miniflare(miniflareOptions());
      await mf.ready;
      db = (await mf.getD1Database("DB", "pulse-dispatcher")) as unknown as PlatformDb;
      bundles = (await mf.getR2Bucket("BUNDLES", "pulse-dispatcher")) as unknown as BundleBucket;
      if (started) await recordStarted(); // in-memory state starts empty again
    },
    async markStarted() {
      started = true;
      await recordStarted();
    },
    cells,
    ...(servicesAddress ? { cellServicesAddress: servicesAddress } : {}),
    async dispose() {
      await Promise.all([mf.dispose(), ...cells.map((c) => c.dispose())]);
    },
  };
}

/**
 * Starts `count` cells and points the dispatcher (not yet started) at them: SCRIPT_HOST=cells, a binding
 * CELL_{i} per cell, and its CellServices entrypoint on a loopback socket for the cells to call back.
 */
async function startCells(
  count: number,
  dispatcher: Record<string, unknown>,
  buildDir: string,
  onLog: NonNullable<LocalPlatformOptions["onLog"]>,
) {
  process.env.MINIFLARE_WORKERD_V8_FLAGS = `--max-old-space-size=${CELL_HEAP_LIMIT_MIB}`;
  const secret = randomBytes(32).toString("hex");
  const servicesPort = await freePort();
  const cellWorker = await prepareWorker("dispatcher/cell", buildDir, { bindings: { CELL_SECRET: secret } });
  const cells = [];
  for (let index = 0; index < count; index++) {
    const [httpPort, rpcPort, inspectorPort] = [await freePort(), await freePort(), await freePort()];
    const options = () =>
      convertV4MiniflareOptions({
        host: "127.0.0.1",
        port: httpPort,
        inspectorPort,
        workers: [
          {
            ...cellWorker,
            bindings: { ...(cellWorker.bindings as object), CELL_INDEX: String(index) },
            serviceBindings: { FRONT: { external: { address: `127.0.0.1:${servicesPort}`, http: {} } } },
            unsafeDirectSockets: [{ host: "127.0.0.1", port: rpcPort, entrypoint: "Cell" }],
          },
        ],
        handleStructuredLogs: (log: { message: string; level: string }) => onLog(log.message, log.level, index),
      } as unknown as Parameters<typeof convertV4MiniflareOptions>[0]);
    const ports = `HTTP ${httpPort}, RPC ${rpcPort}, inspector ${inspectorPort}`;
    const cell = await startCell(options, ports);
    cells.push({
      index,
      url: new URL(`http://127.0.0.1:${httpPort}/`),
      inspector: new URL(`http://127.0.0.1:${inspectorPort}/`),
      rpcAddress: `127.0.0.1:${rpcPort}`,
      mf: cell,
      async restart() {
        await this.mf.dispose().catch(() => undefined); // a crashed cell has nothing left to stop
        this.mf = await startCell(options, ports);
      },
      rssMiB: () => workerdRssMiB(`--inspector-addr=127.0.0.1:${inspectorPort}`),
      async drain(draining: boolean) {
        const answer = await fetch(new URL("/drain", `http://127.0.0.1:${httpPort}/`), {
          method: draining ? "PUT" : "DELETE",
          headers: { [CELL_SECRET_HEADER]: secret },
        });
        if (answer.status !== 204) throw new Error(`cell ${index} drain: ${answer.status} ${await answer.text()}`);
      },
      dispose() {
        return this.mf.dispose();
      },
    });
  }
  dispatcher.bindings = {
    ...(dispatcher.bindings as object),
    SCRIPT_HOST: "cells",
    CELL_COUNT: String(count),
    CELL_SECRET: secret,
  };
  dispatcher.serviceBindings = {
    ...(dispatcher.serviceBindings as object),
    ...Object.fromEntries(cells.map((c) => [`CELL_${c.index}`, { external: { address: c.rpcAddress, http: {} } }])),
  };
  dispatcher.unsafeDirectSockets = [{ host: "127.0.0.1", port: servicesPort, entrypoint: "CellServices" }];
  return { cells, servicesAddress: `127.0.0.1:${servicesPort}` };
}

/** A cell normally starts in about a second; one that has not after this is reported, not waited for. */
const CELL_START_TIMEOUT_MS = 60_000;

async function startCell(
  options: () => ReturnType<typeof convertV4MiniflareOptions>,
  ports: string,
): Promise<Miniflare> {
  const mf = new Miniflare(options());
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Measured once: a workerd given one port twice (its HTTP socket and its inspector) never came up, silently.
  const late = new Promise<never>(
    (_, fail) =>
      (timer = setTimeout(
        () => fail(new Error(`a runtime cell did not start within ${CELL_START_TIMEOUT_MS / 1000} s (${ports})`)),
        CELL_START_TIMEOUT_MS,
      )),
  );
  try {
    await Promise.race([mf.ready, late]);
  } catch (error) {
    void mf.dispose().catch(() => undefined); // not awaited: a runtime that never came up may not go down either
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return mf;
}
