// A loopback port nobody listens on right now (the OS picks it), for runners that must keep one port.
// The OS may hand the same port to two calls in a row, since each is closed before it is used (seen: a cell's
// inspector given its own HTTP port, and that workerd never came up). So a port is handed out once per process,
// and a port this process was given from elsewhere (`PORT` for npm start, chosen by its parent and not yet bound)
// is reserved before the cells take theirs.
import { createServer } from "node:net";

const handedOut = new Set<number>();

function osPort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
    server.on("error", fail);
  });
}

/** Marks a port chosen elsewhere as taken, so freePort never returns it. */
export function reservePort(port: number): void {
  handedOut.add(port);
}

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await osPort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}
