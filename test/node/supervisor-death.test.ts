// When the local platform's process dies by SIGKILL, none of its exit handlers run. Its workerd processes, the
// runtime cells and the dispatcher's, must not live on (holding memory and ports, serving nobody, spinning if a
// pulse held one in a loop): on Linux the kernel kills them with it (setpriv's parent-death signal,
// supervisor/parent-death.ts), and the next start removes the socket folder it left (supervisor/socket-dir.ts).

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSocketDir } from "../../supervisor/socket-dir.ts";
import { freePort, start } from "./support/platform-process.ts";

const linuxWithSetpriv = process.platform === "linux" && ["/usr/bin/setpriv", "/bin/setpriv"].some(existsSync);

/** Direct children of `pid`, with their command lines. */
function children(pid: number): { pid: number; argv: string[] }[] {
  const pids = readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number),
  );
  return pids.map((child) => ({ pid: child, argv: readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0") }));
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readStatus(pid));
const readStatus = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return "";
  }
};

describe.skipIf(!linuxWithSetpriv)("a platform process killed with SIGKILL", () => {
  it("takes its workerd processes with it, and the next start removes the socket folder it left", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "pulse-death-"));
    const child = await start(await freePort(), stateDir);
    try {
      const cells = children(child.pid!).filter((c) => c.argv.some((a) => a.endsWith(".capnp")));
      expect(cells).toHaveLength(3);
      // Miniflare's: its config comes on standard input, in capnp's binary form.
      const dispatcher = children(child.pid!).filter((c) => c.argv.includes("--binary"));
      expect(dispatcher).toHaveLength(1);
      const workerds = [...cells, ...dispatcher];
      const folder = dirname(cells[0]!.argv.find((a) => a.endsWith(".capnp"))!);
      expect(existsSync(folder)).toBe(true);

      const reaped = new Promise((r) => child.once("exit", r)); // until then the process is a zombie, "alive"
      process.kill(child.pid!, "SIGKILL"); // the platform's process only, not its group
      const deadline = Date.now() + 10_000;
      while (workerds.some((c) => alive(c.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(workerds.filter((c) => alive(c.pid)).map((c) => c.pid)).toEqual([]);
      expect(existsSync(folder)).toBe(true); // no exit handler ran

      await reaped;
      const next = await createSocketDir(); // what the next start does first
      expect(existsSync(folder)).toBe(false);
      expect(existsSync(next.path)).toBe(true);
      await next.remove();
    } finally {
      try {
        process.kill(-child.pid!, "SIGKILL"); // whatever else is left in its group
      } catch {
        // already gone
      }
      await rm(stateDir, { recursive: true, force: true });
    }
  }, 120_000);
});
