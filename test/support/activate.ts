// Makes a version live the way the control API does for one request: the deploy context is loaded from the pulse
// as it is at the call (as an admin, so no tenant check), then handed to the activation.

import { activate } from "../../deployer/deploy/activate.ts";
import { loadDeployContext } from "../../deployer/deploy/context.ts";
import type { ScriptPublisher } from "../../deployer/deploy/publish.ts";
import type { DeployerEnv } from "../../deployer/env.ts";
import { findPulse } from "../../deployer/store.ts";

export async function activateNow(
  env: DeployerEnv,
  pulse: { name: string },
  versionId: string,
  kind: "deploy" | "rollback",
  actor: string,
  publisher: ScriptPublisher | null,
): ReturnType<typeof activate> {
  const row = await findPulse(env.DB, { role: "admin", sub: actor }, pulse.name);
  return activate(await loadDeployContext(env, row, publisher), versionId, kind, actor);
}
