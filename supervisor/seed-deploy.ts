// Deploys a pulse of the local platform through its control API, as a developer would: the deployer builds
// it and keeps its source, so Pulse Studio shows the code that runs. Idempotent: the pulse is reused and an
// identical upload is the same version.

import type { LocalPlatform } from "./local-platform.ts";
import { ensureTenant } from "./seed.ts";

export interface SeedDeploy {
  tenant: string;
  pulse: string;
  files: Record<string, string>;
  main: string;
}

export interface SeedDeployed {
  tenantId: string;
  versionId: string;
  /** A developer token of the tenant (valid 30 days). */
  token: string;
}

export async function deploySeed(platform: LocalPlatform, seed: SeedDeploy): Promise<SeedDeployed> {
  const tenantId = await ensureTenant(platform.db, seed.tenant);
  const token = await platform.mint({ role: "developer", sub: `${seed.tenant}-developer`, tenantId });
  const call = async (path: string, body: unknown) => {
    const response = await fetch(new URL(path, platform.url), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const created = await call("/v1/pulses", { name: seed.pulse });
  if (created.status !== 201 && created.status !== 409) throw seedError(seed, "create", created);
  const deployed = await call(`/v1/pulses/${seed.pulse}/versions`, {
    files: seed.files,
    main: seed.main,
    deploy: true,
  });
  if (deployed.status !== 201) throw seedError(seed, "deploy", deployed);
  return { tenantId, versionId: deployed.body.version.id as string, token };
}

function seedError(seed: SeedDeploy, step: string, answer: { status: number; body: Record<string, any> }): Error {
  return new Error(
    `could not ${step} the seeded pulse ${seed.pulse}: ${answer.status} ${JSON.stringify(answer.body.error ?? answer.body)}`,
  );
}
