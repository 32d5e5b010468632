// `pulse dev`: the platform's own local runner (in memory), with the project deployed through its control
// API on start and on every change. Same dispatcher, runtime shim, scoped KV and SQL as the real thing.

import { startLocalPlatform } from "../supervisor/local-platform.ts";
import { apiClient } from "./api-client.ts";
import type { CliError } from "./errors.ts";
import { bundleWithDependencies, collectFiles, collectStaticFiles, hasNpmDependencies } from "./project.ts";
import { codeFrame, type Diagnostic } from "./output.ts";
import { newId } from "../platform/names.ts";
import { insertTenant } from "../platform/registry.ts";

export interface DevServer {
  url: string;
  reload(): Promise<{ ok: true } | { ok: false; message: string }>;
  stop(): Promise<void>;
}

export async function startDev(options: {
  dir: string;
  name: string;
  main: string;
  port: number;
  log: (line: string) => void;
}): Promise<DevServer> {
  const platform = await startLocalPlatform({
    port: options.port,
    devUpstreams: true,
    onLog: (message) => {
      if (!message.startsWith('{"event":')) options.log(message);
    },
  });
  const tenantId = newId("t");
  await insertTenant(platform.db, { id: tenantId, name: "dev", plan: "pro" });
  const token = await platform.mint({ role: "developer", sub: "pulse-dev", tenantId });
  const api = apiClient({ url: platform.url.origin, token });
  await api.POST("/v1/pulses", { body: { name: options.name } });

  const deploy = async (): Promise<{ ok: true } | { ok: false; message: string }> => {
    const files = await collectFiles(options.dir);
    const statics = await collectStaticFiles(options.dir);
    let upload = { files, main: options.main };
    if (await hasNpmDependencies(options.dir)) {
      const bundled = await bundleWithDependencies(options.dir, options.main);
      if ("errors" in bundled) return { ok: false, message: bundled.errors.map((d) => codeFrame(d, files)).join("\n") };
      upload = bundled;
    }
    try {
      await api.POST("/v1/pulses/{name}/versions", {
        params: { path: { name: options.name } },
        body: { ...upload, ...statics, deploy: true },
      });
      return { ok: true };
    } catch (error) {
      const diagnostics = ((error as CliError).details as { details?: { diagnostics?: Diagnostic[] } } | undefined)
        ?.details?.diagnostics;
      return {
        ok: false,
        message: diagnostics ? diagnostics.map((d) => codeFrame(d, upload.files)).join("\n") : (error as Error).message,
      };
    }
  };
  const first = await deploy();
  if (!first.ok) options.log(first.message);
  return {
    url: `http://${options.name}.pulses.localhost:${platform.url.port}/`,
    reload: deploy,
    stop: () => platform.dispose(),
  };
}
