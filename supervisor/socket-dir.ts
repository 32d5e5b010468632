// The private folder of the local platform's Unix sockets: each runtime cell's RPC, HTTP and inspector sockets
// and the dispatcher's CellServices socket. It is created 0700 and owned by the user running the platform, so
// the kernel refuses a connect() on any socket inside it to every other user but root, which loopback TCP cannot
// do (any local process reaches any loopback port). Short names under os.tmpdir(): a socket path may hold at most
// 104 bytes on macOS (108 on Linux).

import { rmSync } from "node:fs";
import { chmod, lstat, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The longest socket path every supported system accepts (macOS: sun_path is 104 bytes with its final NUL). */
const MAX_SOCKET_PATH_BYTES = 103;

export interface SocketDir {
  readonly path: string;
  /** The path of socket `name` in the folder. */
  socket(name: string): string;
  remove(): Promise<void>;
}

const PREFIX = "pulse-";
/** Names the process that made the folder, so a later start can tell an abandoned folder from a live one. */
const OWNER_FILE = "owner.pid";

export async function createSocketDir(): Promise<SocketDir> {
  await removeAbandoned();
  const path = await mkdtemp(join(tmpdir(), PREFIX));
  await chmod(path, 0o700); // mkdtemp already uses 0700; said again so no umask or platform can widen it
  const mode = (await stat(path)).mode & 0o777;
  if (mode !== 0o700) throw new Error(`socket folder ${path} has mode ${mode.toString(8)}, not 700`);
  await writeFile(join(path, OWNER_FILE), String(process.pid), { mode: 0o600 });
  // Also when the process exits without stopping the platform (an uncaught error).
  const removeAtExit = () => rmSync(path, { recursive: true, force: true });
  process.once("exit", removeAtExit);
  return {
    path,
    socket(name) {
      const socket = join(path, name);
      if (Buffer.byteLength(socket) > MAX_SOCKET_PATH_BYTES)
        throw new Error(`socket path ${socket} is longer than ${MAX_SOCKET_PATH_BYTES} bytes (set TMPDIR shorter)`);
      return socket;
    },
    async remove() {
      process.off("exit", removeAtExit);
      await rm(path, { recursive: true, force: true });
    },
  };
}

/** A socket path as workerd's config and command line name it. */
export const unixAddress = (socketPath: string) => `unix:${socketPath}`;

/**
 * Folders left by a platform killed with SIGKILL (no exit handler ran): this user's, naming a process that is
 * gone. Their cells died with it (supervisor/cell-process.ts), so nothing listens on their sockets any more.
 */
async function removeAbandoned(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(PREFIX))) {
    const path = join(tmpdir(), name);
    try {
      // lstat: a link named like ours, planted by another user, is not followed into a folder of ours.
      const folder = await lstat(path);
      if (!folder.isDirectory() || folder.uid !== process.getuid?.()) continue;
      const owner = Number(await readFile(join(path, OWNER_FILE), "utf8"));
      if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) await rm(path, { recursive: true, force: true });
    } catch {
      // not a folder of ours, or one being made or removed right now
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
