// The egress decision for one request leaving user code. For now the policy is "deny everything": no pulse
// may reach the network until the egress-policy work lands. The answer is a clear 403, not a thrown error,
// so user code can read why.

import { errorResponse } from "../platform/errors.ts";

/** Who is asking: bound by the platform (loader props or namespace outbound parameters), never by user code. */
export interface EgressCaller {
  pulseId: string;
  tenantId: string;
}

export const DEFAULT_DENY_RULE = "default-deny";

export function handleEgress(request: Request, caller: EgressCaller): Response {
  let host = "(invalid url)";
  try {
    host = new URL(request.url).host;
  } catch {
    // keep the placeholder: the message must not echo arbitrary input
  }
  console.log(`[egress] denied pulse=${caller.pulseId} host=${host} rule=${DEFAULT_DENY_RULE}`);
  return errorResponse(
    "egress_denied",
    `Outbound request to ${host} denied by rule "${DEFAULT_DENY_RULE}": pulses have no network access yet`,
  );
}
