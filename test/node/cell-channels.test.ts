// The runtime cells' channels from a hostile local process's side. A cell's RPC socket runs any pulse for whoever
// holds the cell secret, and its V8 inspector runs any code inside any tenant's isolate; the dispatcher's
// CellServices socket reads any pulse's keys for whoever holds the secret. All of them must be reachable by the
// platform's own processes only: Unix sockets in a folder only the platform's user may enter, and no TCP port of
// the platform's processes that leads to a cell or to an inspector, not even for a process that learnt the secret.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { request } from "node:http";
import { dirname } from "node:path";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { WebSocket } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CELL_SECRET_HEADER } from "../../dispatcher/cell/protocol.ts";
import { startLocalPlatform, type LocalPlatform } from "../../supervisor/local-platform.ts";
import { childPids } from "../../supervisor/process-memory.ts";
import { lookupRoute } from "../../platform/registry.ts";
import type { PulseTarget } from "../../platform/script-host.ts";
import { buildPulse } from "../../supervisor/pulse-build.ts";
import { seedPulse } from "../../supervisor/seed.ts";
import { socketRequest } from "../../supervisor/unix-http.ts";
import { get } from "./support/platform-process.ts";

const linux = process.platform === "linux";
let platform: LocalPlatform;
/** The victim's PulseTarget, as the dispatcher sends it to a cell. */
let victim: PulseTarget;
/** The Worker Loader isolate the victim runs in (the inspector serves it at /LOADER:{isolate}). */
let victimIsolate: string;

beforeAll(async () => {
  platform = await startLocalPlatform({ port: 0, cells: 1, onLog: () => undefined });
  await seedPulse(platform.db, platform.bundles, {
    tenant: "victim",
    pulse: "victim",
    code: await buildPulse({
      files: { "index.js": `export default async function run(_i, env) { return { ok: true }; }` },
      main: "index.js",
    }),
  });
  const route = await lookupRoute(platform.db, "victim");
  if (route.kind !== "found") throw new Error("the victim pulse has no route");
  victim = route.target;
  expect((await get(Number(platform.url.port), "victim.pulses.localhost")).status).toBe(200);
  const traffic = await fetch(new URL("/v1/admin/runtime/cells?since=0", platform.url), {
    headers: { authorization: `Bearer ${await platform.mint({ role: "admin", sub: "test" })}` },
  });
  const { isolates } = (await traffic.json()) as { isolates: { isolate: string; pulseId: string }[] };
  victimIsolate = isolates.find((i) => i.pulseId === victim.pulseId)!.isolate;
}, 180_000);

afterAll(async () => {
  await platform?.dispose();
});

/** What an attacker Worker does with a binding CELL: call the Cell entrypoint's invoke() as the dispatcher would. */
const INVOKER = `
export default {
  async fetch(request, env) {
    const { target, secret } = await request.json();
    try {
      const answer = await env.CELL.invoke(secret, target, new Request("http://victim/"));
      return Response.json({ reached: true, status: answer.status });
    } catch (error) {
      return Response.json({ reached: false, error: String(error.message ?? error) });
    }
  },
};`;

/** Calls the victim through a binding to each workerd address, with each secret; the answers in order. */
async function invokeThrough(calls: { address: string; secret: string }[]) {
  const attacker = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      workers: calls.map(({ address }, i) => ({
        name: `attacker-${i}`,
        modules: true,
        compatibilityDate: "2026-08-01",
        script: INVOKER,
        serviceBindings: { CELL: { external: { address, http: {} } } },
      })),
    } as unknown as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  try {
    await attacker.ready;
    const answers = [];
    for (const [i, { secret }] of calls.entries()) {
      const worker = await attacker.getWorker(`attacker-${i}`);
      const body = JSON.stringify({ target: victim, secret });
      const response = await worker.fetch("http://attacker/", { method: "POST", body });
      answers.push((await response.json()) as { reached: boolean; status?: number; error?: string });
    }
    return answers;
  } finally {
    await attacker.dispose();
  }
}

/** Socket inode -> port of every TCP socket listening in this network namespace (IPv4 and IPv6 tables). */
function listeners(): Map<string, number> {
  const byInode = new Map<string, number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === "0A") byInode.set(`socket:[${f[9]}]`, Number.parseInt(f[1]!.split(":")[1]!, 16)); // 0A: LISTEN
    }
  }
  return byInode;
}

/** The TCP ports the given processes listen on in this network namespace. */
function listeningPorts(pids: string[]): number[] {
  const byInode = listeners();
  const ports = new Set<number>();
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const port = byInode.get(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (port !== undefined) ports.add(port);
      } catch {
        // closed meanwhile
      }
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** The answer to GET `path` on loopback `port`, or the error. */
function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, timeout: 3000 }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve(`${res.statusCode} ${body.slice(0, 300)}`));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (e) => resolve(`error ${e.message}`));
    req.end();
  });
}

/** Whether a WebSocket to `url` opens (an inspector session would). */
function wsOpens(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const settle = (opened: boolean) => {
      clearTimeout(timer);
      ws.close();
      resolve(opened);
    };
    const timer = setTimeout(() => settle(false), 3000);
    ws.addEventListener("open", () => settle(true));
    ws.addEventListener("error", () => settle(false));
  });
}

/** The cell secret, as a local process of the platform's own user could read it (the cell's environment). */
const leakedSecret = () =>
  /PULSE_CELL_SECRET=([0-9a-f]+)/.exec(readFileSync(`/proc/${platform.cells[0]!.pid()}/environ`, "utf8"))![1]!;

/** Every Unix socket of the platform's channels: the cell's three and the dispatcher's CellServices. */
const channelSockets = () => {
  const cell = platform.cells[0]!;
  return [cell.httpSocket, cell.inspectorSocket, cell.rpcAddress, platform.cellServicesAddress!]
    .filter((s): s is string => s !== undefined)
    .map((s) => s.replace(/^unix:/, ""));
};

const asNobody = (() => {
  if (!linux) return { skip: "the other-user test runs on Linux" };
  if (process.getuid?.() !== 0) return { skip: "switching to another user needs root; run as root to check" };
  const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find(existsSync);
  if (!setpriv) return { skip: "setpriv (util-linux) is not installed" };
  return { setpriv };
})();

describe.skipIf(!linux)("the runtime cells' channels, from a hostile local process", () => {
  it("leave no TCP port of the platform's processes that reaches a cell's RPC or an inspector, even with the secret", async () => {
    const pids = [String(process.pid), ...childPids()];
    const ports = listeningPorts(pids);
    // Only the dispatcher's public port and Miniflare's own entry and loopback ports.
    expect(ports).toContain(Number(platform.url.port));
    expect(ports.length, `ports: ${ports.join(", ")}`).toBeLessThanOrEqual(3);
    // The inspector's address inside a cell's namespace, tried from the host unless another program holds it here.
    const namespacedInspector = [...listeners().values()].includes(9229) ? [] : [9229];
    for (const port of [...ports, ...namespacedInspector]) {
      for (const path of ["/json", "/json/list", "/json/version"]) {
        expect(await httpGet(port, path), `GET ${path} on port ${port}`).not.toMatch(/webSocketDebuggerUrl|"Browser"/);
      }
      for (const path of [`/LOADER:${victimIsolate}`, "/"]) {
        expect(await wsOpens(`ws://127.0.0.1:${port}${path}`), `inspector session on ${port}${path}`).toBe(false);
      }
    }
    const secret = leakedSecret();
    const answers = await invokeThrough(ports.map((port) => ({ address: `127.0.0.1:${port}`, secret })));
    for (const [i, answer] of answers.entries()) expect(answer.reached, `invoke() via port ${ports[i]}`).toBe(false);
  });

  it.skipIf(!!asNobody.skip)(`refuse another user every socket (EACCES) ${asNobody.skip ?? ""}`, () => {
    const sockets = channelSockets();
    const dir = dirname(sockets[0]!);
    const folder = statSync(dir);
    expect(folder.mode & 0o777, "socket folder mode").toBe(0o700);
    expect(folder.uid).toBe(process.getuid!());
    for (const socket of sockets) {
      expect(dirname(socket)).toBe(dir);
      expect(statSync(socket).isSocket(), socket).toBe(true);
      const client = `require("node:net").connect(${JSON.stringify(socket)})
        .on("connect", () => { console.log("connected"); process.exit(0); })
        .on("error", (e) => { console.log(e.code); process.exit(0); });`;
      const outcome = execFileSync(
        asNobody.setpriv!,
        ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, "-e", client],
        { encoding: "utf8", timeout: 10_000 },
      ).trim();
      expect(outcome, `connect to ${socket} as nobody`).toBe("EACCES");
    }
  });

  it("refuse a call through the cell's own sockets without the secret (and run it with the secret)", async () => {
    const cell = platform.cells[0]!;
    expect(cell.rpcAddress).toMatch(/^unix:\//);
    // The first call holds the secret: the socket answers this process, so the refusals are the secret's doing.
    const [right, ...wrong] = await invokeThrough(
      [leakedSecret(), "", "0".repeat(64), "a-guess"].map((secret) => ({ address: cell.rpcAddress, secret })),
    );
    expect(right).toMatchObject({ reached: true, status: 200 });
    for (const answer of wrong) expect(answer.error).toContain("cell_forbidden");
    for (const guess of [undefined, "", "0".repeat(64)]) {
      const headers: Record<string, string> = guess === undefined ? {} : { [CELL_SECRET_HEADER]: guess };
      const drain = await socketRequest(cell.httpSocket, "PUT", "/drain", headers);
      expect(drain.status, `PUT /drain with ${JSON.stringify(guess)}`).toBe(403);
    }
  });
});
