// pulse preview, and `pulse deploy --preview`: replay recent traffic against a version before it goes live,
// show what would change, then promote it when the developer agrees (--yes, or the question on a terminal).

import type { Command } from "commander";
import { createInterface } from "node:readline/promises";
import type { PreviewReport } from "../../platform/preview-report.ts";
import { apiClient, bodyOf, type ApiClient } from "../api-client.ts";
import { loadConfig } from "../config.ts";
import { CliError, EXIT } from "../errors.ts";
import { pc, type Output } from "../output.ts";
import { previewLines } from "../preview-summary.ts";

export function registerPreview(program: Command, out: () => Output): void {
  program
    .command("preview <pulse> [version]")
    .description(
      "replay the pulse's recent invocations against a version (default: the newest one) and show what would change",
    )
    .action(async (name: string, version: string | undefined) => {
      const api = apiClient(await loadConfig());
      const versionId = version ?? (await newestVersion(api, name));
      const report = await runPreview(api, out(), name, versionId);
      out().result(report, () => {
        for (const l of previewLines(report)) out().line(l);
      });
    });
}

async function newestVersion(api: ApiClient, name: string): Promise<string> {
  const { versions } = await bodyOf(api.GET("/v1/pulses/{name}/versions", { params: { path: { name } } }));
  const newest = versions[0];
  if (!newest)
    throw new CliError(`${name} has no versions`, { exitCode: EXIT.usage, hint: `pulse deploy --preview uploads one` });
  return newest.id;
}

function runPreview(api: ApiClient, out: Output, name: string, versionId: string): Promise<PreviewReport> {
  return out.step(`Replaying recent traffic against ${versionId.slice(0, 12)}`, () =>
    bodyOf(
      api.POST("/v1/pulses/{name}/versions/{version}/preview", { params: { path: { name, version: versionId } } }),
    ),
  );
}

/** After an upload that did not go live: preview, show, then promote with --yes or the developer's answer. */
export async function previewThenPromote(
  api: ApiClient,
  out: Output,
  name: string,
  versionId: string,
  yes: boolean,
): Promise<{ preview: PreviewReport; promoted: boolean; deployment: unknown; approval: unknown }> {
  const preview = await runPreview(api, out, name, versionId);
  for (const l of previewLines(preview)) out.line(l);
  // Not even with --yes: live, the version would hold its cell until the watchdog quarantined the pulse.
  if (preview.results.some((r) => r.candidate?.error?.code === "pulse_stalled")) {
    throw new CliError("Not promoted: the version stalled its runtime cell in the preview", {
      exitCode: EXIT.failed,
      hint: "fix the loop or the memory use; `pulse deploy` without --preview makes a version live as it is",
      details: { preview },
    });
  }
  if (!yes && !interactive()) {
    throw new CliError("Not promoted: the version is uploaded but not live", {
      exitCode: EXIT.usage,
      hint: "repeat with --yes to promote after the preview",
      details: { preview },
    });
  }
  const agreed = yes || (await ask(`Make ${versionId.slice(0, 12)} live?`));
  if (!agreed) return { preview, promoted: false, deployment: null, approval: null };
  // A deploy that adds egress hosts or secrets may wait for an admin (approval set, nothing live yet).
  const { deployment, approval } = await bodyOf(
    api.POST("/v1/pulses/{name}/deployments", { params: { path: { name } }, body: { versionId } }),
  );
  return { preview, promoted: !approval, deployment, approval: approval ?? null };
}

/** Without a terminal to ask on, the answer must come as --yes. */
function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} ${pc.dim("[y/N]")} `)).trim());
  } finally {
    rl.close();
  }
}
