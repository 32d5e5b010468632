// A preview report as a developer reads it in a terminal: the verdict first (changed outputs, failures, plan
// limits), then each input that changed or went over a limit with its differences.

import type { PreviewReport } from "../platform/preview-report.ts";
import { pc } from "./output.ts";

const SHOWN_INPUTS = 10;

export function previewLines(report: PreviewReport): string[] {
  const { summary } = report;
  const lines = [
    `Replayed ${summary.replayed} recorded invocations of ${report.pulse} against ${report.candidateVersionId.slice(0, 12)} (live: ${report.liveVersionId.slice(0, 12)}, plan ${report.plan})`,
  ];
  if (summary.inputs === 0)
    return [...lines, pc.dim("  nothing recorded yet: the live version has had no traffic since recording started")];
  for (const message of summary.messages) {
    const bad = /exceed|fail|not replayed/.test(message) || (summary.changed > 0 && message.includes("would change"));
    lines.push(`  ${bad ? pc.yellow("!") : pc.green("✓")} ${message}`);
  }
  const notable = report.results.filter((r) => r.changed || r.limits.length > 0 || r.candidate?.error);
  for (const r of notable.slice(0, SHOWN_INPUTS)) {
    lines.push(
      `  ${pc.bold(`${r.request.method} ${r.request.path}${r.request.query}`)} ${pc.dim(r.requestId.slice(0, 8))}`,
    );
    for (const d of r.diff) lines.push(`    ${d.path}: ${show(d.live)} -> ${show(d.candidate)}`);
    for (const m of r.limits) lines.push(`    ${pc.yellow(`${m.limit} ${m.used} > ${m.max}`)}`);
    if (r.candidate?.error) lines.push(`    ${pc.red(`${r.candidate.error.code}`)}: ${r.candidate.error.message}`);
    for (const e of r.candidate?.unrecordedEgress ?? []) lines.push(`    ${pc.dim(`not recorded, refused: ${e}`)}`);
  }
  if (notable.length > SHOWN_INPUTS)
    lines.push(pc.dim(`  ... and ${notable.length - SHOWN_INPUTS} more (--json shows all)`));
  const { isolation } = report;
  if (!isolation.kvCopyComplete || !isolation.sqlCopyComplete) {
    lines.push(
      pc.dim(
        `  the candidate ran on a partial copy of the live data (KV keys ${isolation.kvKeysCopied}, SQL rows ${isolation.sqlRowsCopied})`,
      ),
    );
  }
  return lines;
}

function show(value: unknown): string {
  if (value === undefined) return pc.dim("(absent)");
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
