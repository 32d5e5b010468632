// Resident memory of the workerd processes Miniflare started for this Node process, read from /proc: a cell is
// told apart by its inspector address on its command line, the dispatcher's process by the socket it listens on
// (started on "any port", its command line says port 0).

import { readdirSync, readFileSync, readlinkSync } from "node:fs";

interface Child {
  pid: string;
  args: string[];
  rssKiB: number;
}

function workerdChildren(): Child[] {
  const children: Child[] = [];
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (args[0]?.endsWith("workerd"))
        children.push({ pid, args, rssKiB: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) });
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

const mib = (children: Child[]) =>
  children.length ? children.reduce((sum, c) => sum + c.rssKiB, 0) / 1024 : Number.NaN;

/** Resident memory of all the workerd processes Miniflare started (children of this process), in MiB. */
export function runtimeRssMiB(): number {
  return mib(workerdChildren());
}

/** Resident MiB of the workerd child that has `arg` among its arguments (NaN when there is none). */
export function workerdRssMiB(arg: string): number {
  return mib(workerdChildren().filter((c) => c.args.includes(arg)));
}

/** Resident MiB of the workerd child listening on loopback TCP `port` (NaN when there is none). */
export function listenerRssMiB(port: number): number {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    try {
      for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
        const f = line.trim().split(/\s+/);
        if (f[1]?.endsWith(hexPort) && f[3] === "0A") inodes.add(`socket:[${f[9]}]`); // 0A: LISTEN
      }
    } catch {
      // no IPv6 table
    }
  }
  return mib(
    workerdChildren().filter((c) => {
      try {
        return readdirSync(`/proc/${c.pid}/fd`).some((fd) => inodes.has(safeReadlink(`/proc/${c.pid}/fd/${fd}`)));
      } catch {
        return false;
      }
    }),
  );
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
}
