// Where server-side builds get their sandbox. The Cloudflare entry (deployer/cloudflare-main.ts) registers the
// Sandbox SDK's getSandbox; the local entry registers nothing, so the SDK (which needs containers and node:
// APIs) is never loaded on workerd, and the builds route answers that server-side builds are not offered.

import { ApiError } from "../../platform/errors.ts";
import type { DeployerEnv } from "../env.ts";
import type { BuildSandbox } from "./sandbox-builder.ts";

type SandboxOpener = (env: DeployerEnv, id: string) => BuildSandbox;
let opener: SandboxOpener | null = null;

export function registerSandbox(open: SandboxOpener): void {
  opener = open;
}

/** A fresh sandbox for one build: its own container, destroyed by the builder when the build ends. */
export function openBuildSandbox(env: DeployerEnv): BuildSandbox {
  if (!opener || !env.SANDBOX) {
    throw new ApiError(
      "sandbox_unavailable",
      "Server-side builds need the Cloudflare deployment (Sandbox containers); here, bundle npm dependencies before uploading (pulse deploy does it)",
    );
  }
  return opener(env, `build-${crypto.randomUUID()}`);
}
