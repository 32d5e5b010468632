// The most any pulse dispatch can keep of a plain Worker on this runtime: a Worker that only hands each request to
// an isolate of the Worker Loader (no routing, limits, logs or shim), against a plain Worker answering the same
// JSON itself, both on workerd's own socket in one process, measured in turn by a client in its own process.

import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { frontDoor } from "../supervisor/edge.ts";
import { freePort } from "../supervisor/free-port.ts";
import { runOverPulsesApart, type RunFigures } from "./load-client.ts";

const ANSWER = "Response.json({ ok: true })";

const LOADER_FRONT = `export default {
  fetch(request, env) {
    const worker = env.LOADER.get("hello", () => ({
      compatibilityDate: "2026-08-01",
      mainModule: "hello.js",
      modules: { "hello.js": "export default { fetch() { return ${ANSWER}; } };" },
      globalOutbound: null,
    }));
    return worker.getEntrypoint().fetch(request);
  },
};`;

export interface LoaderCeiling {
  plain: RunFigures;
  loader: RunFigures;
  ratio: number;
}

export async function measureLoaderCeiling(seconds: number, connections: number): Promise<LoaderCeiling> {
  const plainPort = await freePort();
  const loaderPort = await freePort();
  const plain: Record<string, unknown> = {
    name: "plain",
    modules: true,
    script: `export default { fetch() { return ${ANSWER}; } };`,
    compatibilityDate: "2026-08-01",
  };
  const loader: Record<string, unknown> = {
    name: "loader",
    modules: true,
    script: LOADER_FRONT,
    compatibilityDate: "2026-08-01",
    workerLoaders: { LOADER: {} },
  };
  frontDoor(plain, plainPort);
  frontDoor(loader, loaderPort);
  const mf = new Miniflare(
    convertV4MiniflareOptions({ host: "127.0.0.1", port: 0, workers: [plain, loader] } as unknown as Parameters<
      typeof convertV4MiniflareOptions
    >[0]),
  );
  await mf.ready;
  try {
    const run = (port: number, s: number) =>
      runOverPulsesApart({ url: `http://127.0.0.1:${port}`, hosts: [], seconds: s, connections });
    await run(plainPort, 1);
    await run(loaderPort, 1);
    const plainRuns: RunFigures[] = [];
    const loaderRuns: RunFigures[] = [];
    for (let round = 0; round < 3; round++) {
      plainRuns.push(await run(plainPort, seconds));
      loaderRuns.push(await run(loaderPort, seconds));
    }
    const median = (runs: RunFigures[]) => [...runs].sort((a, b) => a.rps - b.rps)[1]!;
    const figures = { plain: median(plainRuns), loader: median(loaderRuns) };
    return { ...figures, ratio: figures.loader.rps / figures.plain.rps };
  } finally {
    await mf.dispose();
  }
}
