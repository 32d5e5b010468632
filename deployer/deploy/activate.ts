// Makes a stored version live: where versions must be uploaded first (Cloudflare), the upload, and only once
// it succeeded, the atomic pointer switch plus its history row (one D1 transaction); then the dispatcher's
// cached route is purged so the new version serves at once. A failed upload leaves the live version as it was.
// The version's schedule export is checked before the switch and handed to the pulse's scheduler after it.
// After the switch, the pulse's namespace scripts past the rollback depth are swept. A deploy or rollback by
// hand ends an open canary (docs/canary.md): the developer chose what serves.

import type { Deployment } from "../../platform/api-schemas.ts";
import { endOpenCanary } from "../../platform/canary-store.ts";
import { activateVersion } from "../../platform/registry.ts";
import { ApiError } from "../../platform/errors.ts";
import { purgeRoute } from "../routing.ts";
import { getDeployment, latestDeployment } from "../store.ts";
import type { DeployContext } from "./context.ts";
import { applyVersionSchedule, scheduleOfVersion } from "./schedules.ts";

export async function activate(
  ctx: DeployContext,
  versionId: string,
  kind: "deploy" | "rollback",
  actor: string,
): Promise<{ deployment: Deployment | null; changed: boolean }> {
  const { env, pulse, publisher } = ctx;
  // The live version as this request found it. A deploy racing this one and landing in between is ordered after
  // it; the switch below needs no fresher read, since it records the version it replaces inside its own batch.
  if (pulse.active_version_id === versionId) {
    if (await endOpenCanary(env.DB, pulse.id, `${kind} of the live version by ${actor}`))
      await purgeRoute(env, pulse.name);
    return { deployment: await latestDeployment(env.DB, pulse.id), changed: false };
  }
  const schedule = await scheduleOfVersion(ctx, versionId);
  if (publisher) {
    try {
      await publisher.publish(pulse.id, versionId);
    } catch (error) {
      console.error(`upload of ${pulse.name} version ${versionId} failed:`, error);
      // A rollback to a script still kept (rollback depth) goes ahead on it, with its bindings as last uploaded.
      if (kind !== "rollback" || !(await publisher.hasScript(pulse.id, versionId).catch(() => false))) {
        throw new ApiError(
          "publish_failed",
          "The version could not be put live (the runtime refused or did not answer); the live version is unchanged, retry shortly",
        );
      }
    }
  }
  const deploymentId = await activateVersion(env.DB, { pulseId: pulse.id, versionId, kind, createdBy: actor });
  await purgeRoute(env, pulse.name);
  await applyVersionSchedule(env, pulse, versionId, schedule, actor);
  // Best effort: what a sweep leaves (a failed deletion) is recorded and retried by the scheduled sweep.
  await publisher
    ?.collectGarbage(pulse.id, `sweep-${crypto.randomUUID()}`)
    .catch((error: unknown) => console.error(`garbage sweep of ${pulse.name} failed:`, error));
  return { deployment: await getDeployment(env.DB, pulse.id, deploymentId), changed: true };
}
