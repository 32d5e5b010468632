// The runtime's workerd processes must not outlive the supervisor: killed by SIGKILL, it runs none of its exit
// handlers, and a workerd left behind holds its memory and ports, serves nobody, and spins a core if a pulse
// held it in a loop. On Linux (util-linux's setpriv) the kernel kills each one with the supervisor, by the
// parent-death signal. Elsewhere (macOS) there is no such signal: a killed supervisor leaves them (SECURITY.md).

import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";

const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p));

/** The workerd the supervisor runs: Miniflare's own (so the cells and the dispatcher speak the same RPC), or the
 * operator's MINIFLARE_WORKERD_PATH. Read once, before boundMiniflareWorkerd() points that variable elsewhere. */
export const WORKERD_BINARY: string =
  process.env.MINIFLARE_WORKERD_PATH ??
  (createRequire(createRequire(import.meta.url).resolve("miniflare"))("workerd") as { default: string }).default;

/** `command args`, run so that the kernel kills it when the supervisor dies (unchanged where it cannot). */
export function stopWhenParentDies(command: string, args: string[]): { command: string; args: string[] } {
  if (process.platform !== "linux" || !SETPRIV) return { command, args };
  return { command: SETPRIV, args: ["--pdeathsig", "KILL", "--", command, ...args] };
}

/**
 * Miniflare starts the dispatcher's workerd itself, with no way to add arguments before the binary; it runs the
 * one MINIFLARE_WORKERD_PATH names. That becomes a script that execs WORKERD_BINARY under stopWhenParentDies (the
 * exec keeps the pid, the control pipe and the standard streams Miniflare set up). One script per checkout, under
 * .pulse/, written whole and renamed into place: platforms started side by side share it.
 */
export async function boundMiniflareWorkerd(root: string): Promise<void> {
  const { command, args } = stopWhenParentDies(WORKERD_BINARY, []);
  if (command === WORKERD_BINARY) return;
  const dir = join(root, ".pulse/bin");
  const script = join(dir, "workerd");
  const quoted = [command, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const text = `#!/bin/sh\nexec ${quoted} "$@"\n`;
  if ((await readFile(script, "utf8").catch(() => "")) !== text) {
    await mkdir(dir, { recursive: true });
    const partial = `${script}.${process.pid}`;
    await writeFile(partial, text, { mode: 0o755 });
    await rename(partial, script);
  }
  process.env.MINIFLARE_WORKERD_PATH = script;
}
