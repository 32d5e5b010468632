// A preview's sandbox where pulses run in the dispatch namespace (Cloudflare). The candidate still runs in the
// dispatcher's Worker Loader, with the same KV copy; but the live pulse's SQL database there is its own D1,
// bound only to its namespace script (platform/namespace-script.ts), which the dispatcher cannot read. The
// candidate then starts with an empty database, and the report says why instead of claiming a complete copy.

import type { DispatcherEnv } from "../env.ts";
import { fillSandbox, type SandboxCopy } from "../replay/sandbox.ts";

export const NAMESPACE_SQL_NOT_COPIED =
  "the live database is the pulse's own D1, bound only to its script: the candidate started with an empty database";

/** fillSandbox for the configured host: on the dispatch namespace the SQL copy is left out and marked. */
export async function fillPreviewSandbox(
  env: DispatcherEnv,
  pulseId: string,
  sandboxId: string,
  withSql: boolean,
): Promise<SandboxCopy> {
  if (env.SCRIPT_HOST !== "dispatch-namespace" || !withSql) return fillSandbox(env, pulseId, sandboxId, withSql);
  const copy = await fillSandbox(env, pulseId, sandboxId, false);
  return { ...copy, sqlComplete: false, sqlError: NAMESPACE_SQL_NOT_COPIED };
}
