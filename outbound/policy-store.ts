// The three rule layers of one pulse, read from the platform D1 and cached per isolate for a short time.

import { TtlCache } from "../platform/ttl-cache.ts";
import type { OutboundEnv } from "./env.ts";
import { EgressRuleSchema, type EgressPolicy, type EgressRule } from "./rules.ts";

const policies = new TtlCache<EgressPolicy>(10_000);

export interface PolicyOwner {
  plan: string;
  tenantId: string;
  pulseId: string;
}

export function loadPolicy(env: OutboundEnv, owner: PolicyOwner, ttlMs: number): Promise<EgressPolicy> {
  return policies.get(`${owner.plan}|${owner.tenantId}|${owner.pulseId}`, ttlMs, async () => {
    const { results } = await env.DB.prepare(
      `SELECT scope, rule FROM egress_rules
        WHERE (scope = 'plan' AND scope_id = ?1) OR (scope = 'tenant' AND scope_id = ?2) OR (scope = 'pulse' AND scope_id = ?3)
        ORDER BY scope, position`,
    )
      .bind(owner.plan, owner.tenantId, owner.pulseId)
      .all<{ scope: "plan" | "tenant" | "pulse"; rule: string }>();
    const policy: EgressPolicy = { plan: [], tenant: [], pulse: [] };
    for (const row of results) {
      // Rules are validated on write; one that no longer parses fails closed: it becomes "deny everything".
      let parsed: ReturnType<typeof EgressRuleSchema.safeParse> | undefined;
      try {
        parsed = EgressRuleSchema.safeParse(JSON.parse(row.rule));
      } catch {
        parsed = undefined;
      }
      policy[row.scope].push(parsed?.success ? (parsed.data as EgressRule) : { action: "deny", host: "*" });
    }
    return policy;
  });
}

export function purgePolicies(): void {
  policies.clear();
}
