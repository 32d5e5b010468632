// Egress rules and how they combine. Three layers: the plan's defaults, the tenant's rules and the pulse's
// rules. A request must pass every layer: within a layer the first matching rule decides; a tenant or
// pulse layer without rules passes; the plan layer always decides, so no match there denies. A developer can
// narrow their pulse, an admin can narrow a tenant or plan, and nobody can widen what a higher layer denies.

import type { EgressTarget } from "./address.ts";

export { EgressRuleSchema, HOST_PATTERN, type EgressRule } from "../platform/egress-rule.ts";
import type { EgressRule } from "../platform/egress-rule.ts";

export type Layer = "plan" | "tenant" | "pulse";

export interface EgressPolicy {
  plan: EgressRule[];
  tenant: EgressRule[];
  pulse: EgressRule[];
}

export type RuleDecision = { allowed: true } | { allowed: false; rule: string; reason: string };

export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === "*") return true;
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1));
  return host === pattern;
}

export function ruleMatches(rule: EgressRule, target: EgressTarget): boolean {
  return (
    hostMatches(rule.host, target.host) &&
    (rule.schemes ?? ["http", "https"]).includes(target.scheme) &&
    (rule.ports === undefined || rule.ports.includes(target.port))
  );
}

export function describeRule(layer: Layer, index: number, rule: EgressRule): string {
  const schemes = rule.schemes ? ` ${rule.schemes.join("/")}` : "";
  const ports = rule.ports ? ` ports ${rule.ports.join(",")}` : "";
  return `${layer} rule #${index + 1}: ${rule.action} ${rule.host}${schemes}${ports}`;
}

export function evaluateRules(policy: EgressPolicy, target: EgressTarget): RuleDecision {
  for (const layer of ["plan", "tenant", "pulse"] as const) {
    const rules = policy[layer];
    if (rules.length === 0 && layer !== "plan") continue;
    const index = rules.findIndex((r) => ruleMatches(r, target));
    if (index === -1) {
      return {
        allowed: false,
        rule: `${layer}-default-deny`,
        reason: `no ${layer} rule allows ${target.scheme}://${target.host}:${target.port}`,
      };
    }
    const rule = rules[index]!;
    if (rule.action === "deny")
      return {
        allowed: false,
        rule: describeRule(layer, index, rule),
        reason: `denied by ${describeRule(layer, index, rule)}`,
      };
  }
  return { allowed: true };
}
