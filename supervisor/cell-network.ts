// Where a runtime cell's V8 inspector can listen without being open to the host. workerd cannot serve its
// inspector on a Unix socket: given --inspector-addr=unix:/path it listens there, but its start waits for the
// inspector's TCP port number, which a Unix socket does not have, and no Worker ever loads (measured on workerd
// 1.20261117: /json/list answers [] and every request hangs). So on Linux each cell runs in a network namespace
// of its own (unshare), with only its loopback interface: its inspector listens on that loopback, which no
// process outside the namespace can reach, and the cell's workerd relays it to a Unix socket in the platform's
// private folder (supervisor/cell-process.ts). A cell needs no network of its own: it reaches the dispatcher
// over a Unix socket, and its pulses' fetch() goes through the dispatcher.
//
// Where no namespace can be made (macOS, a container without the right, no `unshare` or `ip`), the inspector
// listens on loopback TCP of the host, where any local process can attach to it; the platform says so at start.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** The inspector's address inside a cell's own namespace (nothing else listens there). */
export const NAMESPACED_INSPECTOR = "127.0.0.1:9229";

export interface CellIsolation {
  /** Runs `command args` in a new network namespace with its loopback up. */
  wrap(command: string, args: string[]): { command: string; args: string[] };
}

const firstExisting = (paths: string[]) => paths.find((p) => existsSync(p));

/** How to put a cell in a network namespace of its own here, or why it cannot be (tried once, at start). */
export function cellIsolation(): { isolation?: CellIsolation; reason?: string } {
  if (process.platform !== "linux") return { reason: `no network namespaces on ${process.platform}` };
  const unshare = firstExisting(["/usr/bin/unshare", "/bin/unshare", "/usr/sbin/unshare"]);
  const ip = firstExisting(["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]);
  if (!unshare || !ip) return { reason: "`unshare` or `ip` (util-linux, iproute2) is not installed" };
  // root may make a namespace as it is; another user makes it inside a user namespace of its own.
  const flags = process.getuid?.() === 0 ? ["--net"] : ["--user", "--map-root-user", "--net"];
  try {
    execFileSync(unshare, [...flags, "--", ip, "link", "set", "lo", "up"], { stdio: "ignore", timeout: 10_000 });
  } catch {
    return { reason: "this system refuses a new network namespace to this user" };
  }
  return {
    isolation: {
      // sh brings loopback up, then becomes the command: the process's pid stays the one the supervisor started.
      wrap: (command, args) => ({
        command: unshare,
        args: [...flags, "--", "/bin/sh", "-c", `${ip} link set lo up && exec "$0" "$@"`, command, ...args],
      }),
    },
  };
}
