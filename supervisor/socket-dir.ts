// The private folder of the local platform's Unix sockets: each runtime cell's RPC, HTTP and inspector sockets
// and the dispatcher's CellServices socket. It is created 0700 and owned by the user running the platform, so
// the kernel refuses a connect() on any socket inside it to every other user but root, which loopback TCP cannot
// do (any local process reaches any loopback port). Short names under os.tmpdir(): a socket path may hold at most
// 104 bytes on macOS (108 on Linux).

import { rmSync } from "node:fs";
import { chmod, mkdtemp, rm, stat } from "node:fs/promises";
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

export async function createSocketDir(): Promise<SocketDir> {
  const path = await mkdtemp(join(tmpdir(), "pulse-"));
  await chmod(path, 0o700); // mkdtemp already uses 0700; said again so no umask or platform can widen it
  const mode = (await stat(path)).mode & 0o777;
  if (mode !== 0o700) throw new Error(`socket folder ${path} has mode ${mode.toString(8)}, not 700`);
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
