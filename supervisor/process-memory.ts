// Resident memory and CPU time of the workerd processes this Node process started, read from /proc (Linux; NaN
// or nothing elsewhere). Only this process's own children are looked at, by pid: the runtime cells are started
// by the supervisor, which knows their pids (supervisor/cell-process.ts); the dispatcher's workerd is the child
// Miniflare started (newWorkerdChild).

import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface Child {
  pid: string;
  args: string[];
  rssKiB: number;
  /** User + system CPU time so far, in clock ticks (USER_HZ, 100 a second on Linux). */
  cpuTicks: number;
}

/** The pids of this process's children (any of its threads may have started one). */
export function childPids(): string[] {
  const pids: string[] = [];
  try {
    for (const task of readdirSync("/proc/self/task")) {
      try {
        pids.push(...readFileSync(`/proc/self/task/${task}/children`, "utf8").split(" ").filter(Boolean));
      } catch {
        // thread gone meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return pids;
}

/** What /proc says of process `pid`, or undefined when it is gone (or there is no /proc). */
export function processInfo(pid: string | number): Child | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    // Fields 14 and 15 of /proc/{pid}/stat, counted after the command name (which may hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return {
      pid: String(pid),
      args,
      rssKiB: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
    };
  } catch {
    return undefined;
  }
}

/** The workerd processes among this process's children. */
export function workerdChildren(): Child[] {
  return childPids()
    .map((pid) => processInfo(pid))
    .filter((c): c is Child => !!c && !!c.args[0]?.endsWith("workerd"));
}

const mib = (children: Child[]) =>
  children.length ? children.reduce((sum, c) => sum + c.rssKiB, 0) / 1024 : Number.NaN;

/** Resident memory of all the workerd processes this process started (the dispatcher's and the cells), in MiB. */
export function runtimeRssMiB(): number {
  return mib(workerdChildren());
}

/** Resident MiB of process `pid` (NaN when it is gone or unknown). */
export function pidRssMiB(pid: number | string | undefined): number {
  const info = pid === undefined ? undefined : processInfo(pid);
  return info ? mib([info]) : Number.NaN;
}

/** The workerd child that is not among `before` (taken just before it was started), if exactly one is. */
export function newWorkerdChild(before: ReadonlySet<string>): string | undefined {
  const fresh = workerdChildren().filter((c) => !before.has(c.pid));
  return fresh.length === 1 ? fresh[0]!.pid : undefined;
}

/**
 * The workerd children listening on loopback TCP `port` (the bench's labels for a process it did not start
 * through the supervisor). Reads /proc/net/tcp and the children's descriptors.
 */
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
