// Resident memory of the workerd processes Miniflare started for this Node process, read from /proc: a cell is
// told apart by its inspector address on its command line, the dispatcher's process by the socket it listens on
// (started on "any port", its command line says port 0).

import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface Child {
  pid: string;
  args: string[];
  rssKiB: number;
  /** User + system CPU time so far, in clock ticks (USER_HZ, 100 a second on Linux). */
  cpuTicks: number;
}

export function workerdChildren(): Child[] {
  const children: Child[] = [];
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (!args[0]?.endsWith("workerd")) continue;
      // Fields 14 and 15 of /proc/{pid}/stat, counted after the command name (which may hold spaces).
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      children.push({
        pid,
        args,
        rssKiB: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0),
        cpuTicks: Number(fields[11]) + Number(fields[12]),
      });
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
  return mib(listenersOf(port));
}

/** The workerd children listening on loopback TCP `port`. */
export function listenersOf(port: number): Child[] {
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
  return workerdChildren().filter((c) => {
    try {
      return readdirSync(`/proc/${c.pid}/fd`).some((fd) => inodes.has(safeReadlink(`/proc/${c.pid}/fd/${fd}`)));
    } catch {
      return false;
    }
  });
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
}
