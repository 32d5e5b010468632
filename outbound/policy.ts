// The whole egress decision for one URL: fixed blocks first (they hold whatever any rule says), then the
// plan, tenant and pulse rules.

import { isPlatformHost, resolveTarget, type EgressTarget } from "./address.ts";
import { evaluateRules, type EgressPolicy } from "./rules.ts";

export type EgressDecision =
  | { allowed: true; target: EgressTarget }
  | { allowed: false; rule: string; reason: string; host: string | null };

export function decideEgress(rawUrl: string, policy: EgressPolicy, platformHosts: readonly string[]): EgressDecision {
  const resolved = resolveTarget(rawUrl);
  if (!resolved.ok) return { allowed: false, rule: resolved.rule, reason: resolved.reason, host: null };
  const { target } = resolved;
  if (isPlatformHost(target.host, platformHosts)) {
    return {
      allowed: false,
      rule: "platform-host",
      reason: `${target.host} is the platform itself`,
      host: target.host,
    };
  }
  const ruled = evaluateRules(policy, target);
  return ruled.allowed ? { allowed: true, target } : { ...ruled, host: target.host };
}
