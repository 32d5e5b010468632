// One runtime cell's workerd process, started and owned by the supervisor: it knows the process's pid (its
// memory is read from there), sees it exit, and reads its output (the cell's structured log lines). The cell is
// configured in workerd's own format (capnp text) rather than through Miniflare, which serves an RPC entrypoint
// only on TCP and always adds its own TCP entry socket and inspector address. Every socket of a cell is a Unix
// socket in the platform's private folder (supervisor/socket-dir.ts): its RPC socket (the Cell entrypoint, which
// the dispatcher calls), its HTTP socket (the watchdog's probe and drain) and its inspector's relay
// (supervisor/cell-network.ts says where the inspector itself listens). The secret reaches workerd through its
// environment, which only the platform's user can read, and is never written to the config file.

import { spawn } from "node:child_process";
import { rm, symlink, writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { CellIsolation } from "./cell-network.ts";
import { unixAddress, type SocketDir } from "./socket-dir.ts";
import { stopWhenParentDies, WORKERD_BINARY } from "./parent-death.ts";

/**
 * The Host of the HTTP CONNECT that carries workerd's JS RPC between processes. Both ends must name the same
 * one: the dispatcher's end is configured by Miniflare, which uses this name.
 */
export const CAPNP_CONNECT_HOST = "miniflare-unsafe-internal-capnp-connect";

/** A cell normally starts in about a second; one that has not after this is reported, not waited for. */
const CELL_START_TIMEOUT_MS = 60_000;

/** The environment variable that hands workerd the cell secret (a `fromEnvironment` binding). */
const SECRET_ENV = "PULSE_CELL_SECRET";

export interface CellSockets {
  http: string;
  rpc: string;
  inspector: string;
}

export const cellSockets = (dir: SocketDir, index: number): CellSockets => ({
  http: dir.socket(`c${index}-http`),
  rpc: dir.socket(`c${index}-rpc`),
  inspector: dir.socket(`c${index}-insp`),
});

export interface CellProcessOptions {
  index: number;
  dir: SocketDir;
  /** The cell Worker as supervisor/workers.ts prepareWorker returns it. */
  worker: Record<string, unknown>;
  secret: string;
  /** workerd address of the dispatcher's CellServices socket. */
  frontAddress: string;
  heapLimitMiB: number;
  /** Where workerd's inspector listens (TCP): inside the cell's namespace when `isolation` is given; none when
   * undefined (then nothing reads the pulses' heaps). */
  inspectorAddress?: string;
  isolation?: CellIsolation;
  onLog: (message: string, level: string) => void;
}

export interface CellProcess {
  readonly pid: number | undefined;
  /** Settles when the process has exited. */
  readonly exited: Promise<void>;
  /** SIGKILL (a cell stuck in a loop answers nothing else), then waits for the exit. */
  kill(): Promise<void>;
}

/** capnp text string literal; the values are paths, dates and names the platform chose. */
function text(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`cell config: unexpected characters in ${JSON.stringify(value)}`);
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

const MODULE_KINDS: Record<string, string> = { ESModule: "esModule", CompiledWasm: "wasm" };

/** Writes the cell's workerd config beside its sockets; returns its path. */
async function writeCellConfig(o: CellProcessOptions, sockets: CellSockets): Promise<string> {
  const w = o.worker as {
    modulesRoot: string;
    modules: { type: string; path: string }[];
    compatibilityDate: string;
    compatibilityFlags?: string[];
    bindings?: Record<string, unknown>;
    workerLoaders?: Record<string, unknown>;
  };
  // Modules are embedded from the bundle folder through a link next to the config (capnp resolves embeds
  // relative to the config file), made by the first cell to start and kept: the folder does not move.
  await symlink(w.modulesRoot, o.dir.socket("bundle")).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  const modules = w.modules.map((m) => {
    const kind = MODULE_KINDS[m.type];
    if (!kind) throw new Error(`cell config: module type ${m.type} is not supported`);
    const name = relative(w.modulesRoot, m.path);
    return `(name = ${text(name)}, ${kind} = embed ${text(`bundle/${name}`)})`;
  });
  const vars = Object.entries(w.bindings ?? {}).map(([name, value]) =>
    typeof value === "string"
      ? `(name = ${text(name)}, text = ${text(value)})`
      : `(name = ${text(name)}, json = ${text(JSON.stringify(value))})`,
  );
  const loaders = Object.keys(w.workerLoaders ?? {}).map((name) => `(name = ${text(name)}, workerLoader = ())`);
  const bindings = [
    ...vars,
    `(name = "CELL_INDEX", text = ${text(String(o.index))})`,
    `(name = "CELL_SECRET", fromEnvironment = ${text(SECRET_ENV)})`,
    `(name = "FRONT", service = "front")`,
    ...loaders,
  ];
  const rpcHttp = `http = (capnpConnectHost = ${text(CAPNP_CONNECT_HOST)})`;
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "cell", worker = .cell),
    (name = "front", external = (address = ${text(o.frontAddress)}, ${rpcHttp})),
${o.inspectorAddress ? `    (name = "inspector", external = (address = ${text(o.inspectorAddress)}, http = ())),\n` : ""}  ],
  sockets = [
    (name = "http", address = ${text(unixAddress(sockets.http))}, http = (), service = "cell"),
    (name = "rpc", address = ${text(unixAddress(sockets.rpc))}, ${rpcHttp}, service = (name = "cell", entrypoint = "Cell")),
${o.inspectorAddress ? `    (name = "inspector", address = ${text(unixAddress(sockets.inspector))}, http = (), service = "inspector"),\n` : ""}  ],
  v8Flags = [${text(`--max-old-space-size=${o.heapLimitMiB}`)}],
  structuredLogging = true,
);
const cell :Workerd.Worker = (
  modules = [${modules.join(", ")}],
  compatibilityDate = ${text(w.compatibilityDate)},
  compatibilityFlags = [${(w.compatibilityFlags ?? []).map(text).join(", ")}],
  bindings = [${bindings.join(", ")}],
);
`;
  const path = o.dir.socket(`c${o.index}.capnp`);
  await writeFile(path, config, { mode: 0o600 });
  return path;
}

/** Each line a cell writes: workerd's structured lines as they are, anything else as one message. */
function readLines(stream: Readable, level: string, onLog: CellProcessOptions["onLog"]) {
  createInterface({ input: stream }).on("line", (line) => {
    if (!line) return;
    try {
      const log = JSON.parse(line) as { level?: unknown; message?: unknown };
      if (typeof log.message === "string" && typeof log.level === "string") return onLog(log.message, log.level);
    } catch {
      // not a structured line
    }
    onLog(line, level);
  });
}

/** Starts the cell's workerd and resolves once its three sockets listen. */
export async function startCellProcess(o: CellProcessOptions): Promise<CellProcess> {
  const sockets = cellSockets(o.dir, o.index);
  // A socket file left by a killed process would make workerd's bind() fail.
  await Promise.all(Object.values(sockets).map((s) => rm(s, { force: true })));
  const configPath = await writeCellConfig(o, sockets);
  const inspector = o.inspectorAddress ? [`--inspector-addr=${o.inspectorAddress}`] : [];
  const serve = ["serve", "--experimental", ...inspector, "--control-fd=3", configPath];
  const dying = stopWhenParentDies(WORKERD_BINARY, serve);
  const { command, args } = o.isolation?.wrap(dying.command, dying.args) ?? dying;
  const child = spawn(command, args, {
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    env: { ...process.env, [SECRET_ENV]: o.secret, TZ: "UTC" },
  });
  // A cell outlives a supervisor that exits without disposing of it (an uncaught error) unless stopped here.
  const stopWithUs = () => child.kill("SIGKILL");
  process.once("exit", stopWithUs);
  const exited = new Promise<void>((done) =>
    child.once("exit", () => {
      process.off("exit", stopWithUs);
      done();
    }),
  );
  readLines(child.stdout!, "info", o.onLog);
  readLines(child.stderr!, "error", o.onLog);
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
  const waiting = new Set(["http", "rpc", ...(o.inspectorAddress ? ["inspector"] : [])]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await new Promise<void>((ready, fail) => {
      timer = setTimeout(
        () => fail(new Error(`runtime cell ${o.index} did not start within ${CELL_START_TIMEOUT_MS / 1000} s`)),
        CELL_START_TIMEOUT_MS,
      );
      child.once("error", fail);
      void exited.then(() => fail(new Error(`runtime cell ${o.index} exited while starting (see its log lines)`)));
      // workerd reports each socket it listens on, one JSON line each, on the control descriptor.
      createInterface({ input: child.stdio[3] as Readable }).on("line", (line) => {
        try {
          const event = JSON.parse(line) as { event?: string; socket?: string };
          if (event.event === "listen" && event.socket) waiting.delete(event.socket);
        } catch {
          return;
        }
        if (waiting.size === 0) ready();
      });
    });
  } catch (error) {
    await kill();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { pid: child.pid, exited, kill };
}
