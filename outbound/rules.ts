// Egress rules and how they combine. Three layers: the plan's defaults, the tenant's rules and the pulse's
// rules. A request must pass every layer: within a layer the first matching rule decides; a tenant or
// pulse layer without rules passes; the plan layer always decides, so no match there denies. A developer can
// narrow their pulse, an admin can narrow a tenant or plan, and nobody can widen what a higher layer denies.

import { z } from "zod";
import type { EgressTarget } from "./address.ts";

export const HOST_PATTERN = /^(\*|(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/;

export const EgressRuleSchema = z.object({
  action: z.enum(["allow", "deny"]),
  /** "api.example.com", "*.example.com" (subdomains only) or "*" (any host). Lowercase, punycode for IDN. */
  host: z.string().max(253).regex(HOST_PATTERN, 'must be a host name, "*.domain" or "*"'),
  /** Default: both. */
  schemes: z
    .array(z.enum(["http", "https"]))
    .min(1)
    .optional(),
  /** Default: any port. */
  ports: z.array(z.number().int().min(1).max(65535)).min(1).max(32).optional(),
});

export type EgressRule = z.infer<typeof EgressRuleSchema>;
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
