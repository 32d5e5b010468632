// How the CLI shows what a deploy changes (the manifest diff's sentences) and a deploy held for approval.

import { pc, type Output } from "./output.ts";

interface DiffLike {
  sentences?: string[];
}

interface ApprovalLike {
  id: number;
  status: string;
}

export function printChanges(out: Output, diff: DiffLike | undefined): void {
  for (const sentence of diff?.sentences ?? []) out.line(`  ${pc.dim("·")} ${sentence}`);
}

/** What the platform's capability scan could not analyse, and the conservative answer it gave instead. */
export function printScanWarnings(out: Output, manifest: { warnings?: string[] } | null | undefined): void {
  for (const warning of manifest?.warnings ?? []) out.line(`  ${pc.yellow("!")} ${warning}`);
}

export function printHeld(out: Output, approval: ApprovalLike): void {
  out.line(
    `${pc.yellow("⏸")} waiting for an admin's approval (request ${pc.bold(String(approval.id))}): it adds egress hosts or secrets`,
  );
  out.line("  the live version keeps serving until an admin approves; a rejection leaves it as it is");
}
