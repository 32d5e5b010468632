// Canary deploys from the CLI (docs/canary.md): `pulse deploy --canary <percent>` starts the uploaded version
// beside the live one; `pulse canary <pulse>` shows how it is doing, or how it was decided.

import type { Command } from "commander";
import { MAX_CANARY_SHARE, MIN_CANARY_SHARE } from "../../platform/canary-rule.ts";
import type { Canary } from "../../platform/api-schemas.ts";
import { apiClient, bodyOf, type ApiClient } from "../api-client.ts";
import { loadConfig } from "../config.ts";
import { CliError, EXIT } from "../errors.ts";
import { pc, type Output } from "../output.ts";

/** The --canary value as a share in percent; anything else is a usage error before anything is uploaded. */
export function parseCanaryShare(
  value: string | undefined,
  opts: { promote: boolean; preview?: boolean; fromWorkspace?: boolean },
) {
  if (value === undefined) return undefined;
  const share = Number(value);
  if (!/^\d+$/.test(value) || share < MIN_CANARY_SHARE || share > MAX_CANARY_SHARE)
    throw new CliError(
      `--canary takes a whole percent from ${MIN_CANARY_SHARE} to ${MAX_CANARY_SHARE}, not "${value}"`,
      {
        exitCode: EXIT.usage,
      },
    );
  if (!opts.promote || opts.preview || opts.fromWorkspace)
    throw new CliError("--canary cannot be combined with --no-promote, --preview or --from-workspace", {
      exitCode: EXIT.usage,
    });
  return share;
}

/** After the upload: the version starts as a canary (the platform refuses it on a pulse with nothing live). */
export async function startCanary(api: ApiClient, name: string, versionId: string, share: number): Promise<Canary> {
  const result = await bodyOf(
    api.POST("/v1/pulses/{name}/deployments", { params: { path: { name } }, body: { versionId, canary: share } }),
  );
  if (!result.canary) throw new CliError("The platform did not start a canary");
  return result.canary;
}

export function printCanary(out: Output, name: string, canary: Canary): void {
  const version = pc.bold(canary.versionId.slice(0, 12));
  const status = {
    open: `${version} serves ${canary.share}% of clients beside ${canary.liveVersionId.slice(0, 12)}`,
    promoted: `${version} was promoted`,
    rolled_back: `${version} was rolled back`,
    ended: `${version} was ended by a deploy or rollback`,
  }[canary.status];
  out.line(`${canary.status === "rolled_back" ? pc.red("✗") : pc.green("✓")} canary ${status}`);
  if (canary.reason) out.line(`  ${canary.reason}`);
  if (canary.status === "open")
    out.line(
      `  promoted after ${Math.round(canary.windowMs / 1000)} s with ${canary.minRequests} requests on each side, ` +
        `rolled back sooner if worse: ${pc.cyan(`pulse canary ${name}`)}`,
    );
}

export function registerCanary(program: Command, out: () => Output): void {
  program
    .command("canary <pulse>")
    .description("the pulse's latest canary: its figures so far, or how it was decided")
    .action(async (name: string) => {
      const api = apiClient(await loadConfig());
      const { canary } = await bodyOf(api.GET("/v1/pulses/{name}/canary", { params: { path: { name } } }));
      out().result({ canary }, () => (canary ? printCanary(out(), name, canary) : out().line("No canary yet")));
    });
}
