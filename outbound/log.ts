// One structured line per egress attempt: who, where (scheme, host and path: never the query, which may
// carry references), the decision, the status and the time. Never a header or a body, so never a value.

import { writeOperatorLine } from "../platform/operator-log.ts";

export interface EgressLogEntry {
  pulseId: string;
  tenantId: string;
  requestId: string | null;
  method: string;
  url: string;
  decision: string;
  subrequest: number;
  ms: number;
  [extra: string]: unknown;
}

/** Written in batches with the request lines (platform/operator-log.ts) when `ctx` is given. */
export function logEgress(entry: EgressLogEntry, ctx?: Pick<ExecutionContext, "waitUntil">): void {
  let where = "(invalid url)";
  try {
    const u = new URL(entry.url);
    where = `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    // keep the placeholder
  }
  const { url: _url, ...rest } = entry;
  writeOperatorLine(ctx, { event: "egress", ...rest, target: where });
}
