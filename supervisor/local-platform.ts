// The local platform: the dispatcher and deployer Workers on workerd through Miniflare's API (measured
// ~4x the throughput of the `wrangler dev` proxy on this hardware), state persisted under one folder.
// The runtime can be restarted in place (same port, same state): the watchdog does that when a pulse
// stalls it. With `cells`, pulses run in that many separate workerd processes (dispatcher/cell/protocol.ts),
// each under a per-isolate heap limit, and the watchdog restarts a stalled or crashed cell alone. The cells are
// the supervisor's own child processes (supervisor/cell-process.ts), and every channel between them and the
// dispatcher is a Unix socket in a private folder (supervisor/socket-dir.ts).

import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { randomBytes, randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { frontDoor, PUBLIC_INTERNET_WORKER, publicEgressOnly } from "./edge.ts";
import { freePort, reservePort } from "./free-port.ts";
import { childPids, newWorkerdChild, pidRssMiB } from "./process-memory.ts";
import { cellIsolation, NAMESPACED_INSPECTOR } from "./cell-network.ts";
import { cellSockets, startCellProcess, type CellProcess } from "./cell-process.ts";
import { createSocketDir, unixAddress } from "./socket-dir.ts";
import { socketRequest } from "./unix-http.ts";
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
import { boundMiniflareWorkerd } from "./parent-death.ts";
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
   * which runtime cell wrote the line (undefined: the dispatcher's process); `writtenAt`, when workerd wrote it
   * (epoch ms; the dispatcher's process only). */
  onLog?: (message: string, level: string, cell?: number, writtenAt?: number) => void;
  /** Runtime cells: 0 runs pulses in the dispatcher's own process (the Worker Loader host). */
  cells?: number;
}

/** Runtime cells `npm start` and the bench run by default (PULSE_CELLS overrides). */
export const DEFAULT_CELLS = 3;

/**
 * V8 heap limit of each isolate: a pulse that allocates past it aborts its cell, not the platform. A cell's
 * config carries it; it is also set for Miniflare, which reads it from the environment whenever it starts
 * workerd, so it applies to the dispatcher's process too (whose isolates stay far below it).
 */
export const CELL_HEAP_LIMIT_MIB = 512;

/** One runtime cell: where the watchdog probes it, and how to restart it. */
export interface RuntimeCell {
  readonly index: number;
  /** Path of its HTTP socket (Unix): the watchdog's probe, and the drain. */
  readonly httpSocket: string;
  /** Path of the Unix socket relaying workerd's inspector for this cell: the watchdog reads each pulse
   * isolate's heap there (supervisor/cell-network.ts). Absent when the inspector is off (no namespace for it). */
  readonly inspectorSocket?: string;
  /** workerd address (unix:/path) of its RPC socket (the Cell entrypoint), which the dispatcher calls. */
  readonly rpcAddress: string;
  restart(): Promise<void>;
  /** Its workerd process's pid (undefined while it is down). */
  pid(): number | undefined;
  /** Resident memory of its workerd process, in MiB (NaN while it is down). */
  rssMiB(): number;
  /** Asks the dispatcher, through the cell, to send it no new requests (`true`) or to take it back (`false`). */
  drain(draining: boolean): Promise<void>;
}

/** The hosts the dev upstream answers for. */
export const DEV_UPSTREAM_HOSTS = ["upstream.test", "other.test"];

export interface LocalPlatform {
  readonly url: URL;
  /** The dispatcher's storage, through Miniflare. After a restart without cells these throw: see restart(). */
  readonly db: PlatformDb;
  readonly bundles: BundleBucket;
  migrationsApplied: string[];
  /** A control-plane token signed with the local key. */
  mint(principal: Principal, expiresIn?: string): Promise<string>;
  /**
   * Kills workerd (SIGKILL) and starts it again with the same options and state. `quarantine` (pulse id ->
   * until and the version that stalled) is handed to the dispatcher at boot, so those versions cannot run
   * again, not even in the moment before the database records the quarantine.
   *
   * Without cells, `db` and `bundles` are not read again: the new process runs tenant code from its first
   * request, and Miniflare's storage proxies make some calls synchronously (Atomics.wait on the supervisor's
   * thread). One that a looping pulse holds would stop the supervisor, the watchdog with it (measured: a loop
   * that reached the new process first held the restart for good).
   */
  restart(quarantine?: Record<string, { until: number; versionId: string }>): Promise<void>;
  /** The runtime cells (empty without `cells`). */
  readonly cells: readonly RuntimeCell[];
  /** Resident memory of the dispatcher's workerd process (control plane, storage, and pulses without cells), in MiB. */
  rssMiB(): number;
  /** The dispatcher's workerd process's pid, when it could be told apart among this process's children. */
  pid(): number | undefined;
  /** workerd address (unix:/path) of the dispatcher's CellServices socket, which the cells call (undefined
   * without `cells`). */
  readonly cellServicesAddress?: string;
  /** Carried by the dispatcher's start and end lines around each run, without cells (dispatcher/request-log.ts):
   * the watchdog takes no other line for one. */
  readonly watchdogLineKey: string;
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
  const watchdogLineKey = randomBytes(16).toString("hex");
  const dispatcherBindings = { ...secretKeys, ...upstreams, STARTUP_ID: startupId, WATCHDOG_LINE_KEY: watchdogLineKey };
  const workers = await Promise.all([
    prepareWorker("dispatcher", buildDir, { bindings: dispatcherBindings }),
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
  const { cells, servicesAddress, servicesSocket, socketDir } = options.cells
    ? await startCells(options.cells, workers[0]!, buildDir, onLog)
    : { cells: [], servicesAddress: undefined, servicesSocket: undefined, socketDir: undefined };
  // End users reach the dispatcher on its own socket, and its fetch() reaches public addresses only (edge.ts).
  const publicPort = options.port || (await freePort());
  frontDoor(workers[0]!, publicPort);
  publicEgressOnly(workers[0]!);
  workers[0]!.bindings = { ...(workers[0]!.bindings as object), LOCAL_EDGE: "true" };
  const supervisorPort = await freePort();
  await boundMiniflareWorkerd(ROOT);
  const miniflareOptions = () =>
    convertV4MiniflareOptions({
      host: "127.0.0.1", // loopback only
      port: supervisorPort,
      workers: [...workers, PUBLIC_INTERNET_WORKER],
      ...(options.stateDir ? { resourcePersistencePath: options.stateDir } : {}),
      handleStructuredLogs: (log: { message: string; level: string; timestamp?: number }) =>
        onLog(log.message, log.level, undefined, log.timestamp),
    } as unknown as Parameters<typeof convertV4MiniflareOptions>[0]);

  // The dispatcher's workerd is the one child Miniflare adds: known by its pid, not looked for.
  let dispatcherPid: string | undefined;
  const startDispatcher = async () => {
    if (servicesSocket) await rm(servicesSocket, { force: true }); // left by a killed process: bind() would fail
    const before = childPids();
    const started = new Miniflare(miniflareOptions());
    await started.ready;
    // (A cell the watchdog restarted meanwhile is a new child too.)
    dispatcherPid = newWorkerdChild(new Set([...before, ...cells.map((c) => String(c.pid()))]));
    return started;
  };
  let mf = await startDispatcher();
  const url = new URL(`http://127.0.0.1:${publicPort}/`);
  const storageOf = async (runtime: Miniflare) => ({
    db: (await runtime.getD1Database("DB", "pulse-dispatcher")) as unknown as PlatformDb,
    bundles: (await runtime.getR2Bucket("BUNDLES", "pulse-dispatcher")) as unknown as BundleBucket,
  });
  let storage: Awaited<ReturnType<typeof storageOf>> | undefined = await storageOf(mf);
  const current = () => {
    if (!storage) throw new Error("the runtime restarted without cells: its storage is not read again (see restart)");
    return storage;
  };
  const migrationsApplied = await migrate(storage.db);
  let started = false;
  return {
    get url() {
      return url;
    },
    get db() {
      return current().db;
    },
    get bundles() {
      return current().bundles;
    },
    migrationsApplied,
    watchdogLineKey,
    rssMiB: () => pidRssMiB(dispatcherPid),
    pid: () => (dispatcherPid ? Number(dispatcherPid) : undefined),
    mint: (principal, expiresIn = "30d") => mintToken(key.signer, principal, { expiresIn }),
    async restart(quarantine) {
      await mf.dispose(); // SIGKILL: works even when the runtime is stuck in a loop
      const dispatcher = workers[0]!;
      dispatcher.bindings = {
        ...(dispatcher.bindings as object),
        ...(quarantine ? { QUARANTINED_PULSES: JSON.stringify(quarantine) } : {}),
        // The platform finished starting before: the new process is ready without a marker to write through it.
        ...(started ? { STARTUP_ID: "" } : {}),
      };
      storage = undefined;
      mf = await startDispatcher();
      if (cells.length) storage = await storageOf(mf);
    },
    async markStarted() {
      started = true;
      await current().bundles.put(STARTUP_MARKER_KEY, startupId);
    },
    cells,
    ...(servicesAddress ? { cellServicesAddress: servicesAddress } : {}),
    async dispose() {
      await Promise.all([mf.dispose(), ...cells.map((c) => c.dispose())]);
      await socketDir?.remove();
    },
  };
}

/**
 * Starts `count` cells and points the dispatcher (not yet started) at them: SCRIPT_HOST=cells, a binding
 * CELL_{i} per cell (its RPC socket), and its CellServices entrypoint on a Unix socket for the cells to call back.
 */
async function startCells(
  count: number,
  dispatcher: Record<string, unknown>,
  buildDir: string,
  onLog: NonNullable<LocalPlatformOptions["onLog"]>,
) {
  process.env.MINIFLARE_WORKERD_V8_FLAGS = `--max-old-space-size=${CELL_HEAP_LIMIT_MIB}`;
  const secret = randomBytes(32).toString("hex");
  const socketDir = await createSocketDir();
  // Miniflare writes a socket's address as `${host}:${port}`: with a unix: host, ":0" ends the path.
  const servicesHost = unixAddress(socketDir.socket("front"));
  const servicesSocket = `${socketDir.socket("front")}:0`;
  const { isolation, reason } = cellIsolation();
  // Without a namespace of its own, a cell's inspector could only listen on host loopback TCP, where any local
  // process could attach and run code in any pulse's isolate: it stays off unless the operator accepts that.
  const tcpInspector = !isolation && process.env.PULSE_TCP_INSPECTOR === "1";
  if (!isolation)
    console.warn(
      tcpInspector
        ? `runtime cells: ${reason}; PULSE_TCP_INSPECTOR=1: each cell's V8 inspector listens on loopback TCP, ` +
            "where any local process can attach to it and run code in a pulse's isolate (SECURITY.md)"
        : `runtime cells: ${reason}, so the cells' V8 inspectors are off and the watchdog reads no pulse's heap: a ` +
            "pulse that allocates without bound is stopped only when it aborts its cell (SECURITY.md; " +
            "PULSE_TCP_INSPECTOR=1 turns them on over loopback TCP)",
    );
  const cellWorker = await prepareWorker("dispatcher/cell", buildDir);
  const cells: (RuntimeCell & { dispose(): Promise<void> })[] = [];
  // A cell that does not start stops the ones started before it, and their folder goes.
  const undo = async (error: unknown) => {
    await Promise.all(cells.map((c) => c.dispose()));
    await socketDir.remove();
    throw error;
  };
  for (let index = 0; index < count; index++) {
    const sockets = cellSockets(socketDir, index);
    const inspectorAddress = isolation
      ? NAMESPACED_INSPECTOR
      : tcpInspector
        ? `127.0.0.1:${await freePort()}`
        : undefined;
    const start = () =>
      startCellProcess({
        index,
        dir: socketDir,
        worker: cellWorker,
        secret,
        frontAddress: unixAddress(servicesSocket),
        heapLimitMiB: CELL_HEAP_LIMIT_MIB,
        ...(inspectorAddress ? { inspectorAddress } : {}),
        ...(isolation ? { isolation } : {}),
        onLog: (message, level) => onLog(message, level, index),
      });
    let child: CellProcess | undefined = await start().catch(undo);
    let disposed = false;
    cells.push({
      index,
      httpSocket: sockets.http,
      ...(inspectorAddress ? { inspectorSocket: sockets.inspector } : {}),
      rpcAddress: unixAddress(sockets.rpc),
      async restart() {
        await child?.kill(); // a crashed cell has nothing left to stop
        child = undefined;
        const fresh = await start();
        if (disposed)
          await fresh.kill(); // the platform stopped while it started
        else child = fresh;
      },
      pid: () => child?.pid,
      rssMiB: () => pidRssMiB(child?.pid),
      async drain(draining: boolean) {
        const answer = await socketRequest(sockets.http, draining ? "PUT" : "DELETE", "/drain", {
          [CELL_SECRET_HEADER]: secret,
        });
        if (answer.status !== 204) throw new Error(`cell ${index} drain: ${answer.status} ${answer.body}`);
      },
      async dispose() {
        disposed = true;
        await child?.kill();
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
  dispatcher.unsafeDirectSockets = [{ host: servicesHost, entrypoint: "CellServices" }];
  return { cells, servicesAddress: unixAddress(servicesSocket), servicesSocket, socketDir };
}
