// The egress rules on their own: how one rule matches a target, and how the three layers combine (each must
// pass; the plan layer always decides; nobody below widens what a layer above denies).

import { describe, expect, it } from "vitest";
import {
  EgressRuleSchema,
  evaluateRules,
  hostMatches,
  type EgressPolicy,
  type EgressRule,
} from "../../outbound/rules.ts";

const target = (host: string, scheme: "http" | "https" = "https", port = 443) => ({ host, scheme, port }) as never;
const allow = (host: string, more: Partial<EgressRule> = {}): EgressRule => ({ action: "allow", host, ...more });
const deny = (host: string): EgressRule => ({ action: "deny", host });
const policy = (p: Partial<EgressPolicy>): EgressPolicy => ({ plan: [], tenant: [], pulse: [], ...p });

describe("hostMatches", () => {
  it("matches exact hosts, subdomains of a wildcard (not the apex, not a look-alike) and '*'", () => {
    expect(hostMatches("api.example.com", "api.example.com")).toBe(true);
    expect(hostMatches("api.example.com", "xapi.example.com")).toBe(false);
    expect(hostMatches("*.example.com", "a.b.example.com")).toBe(true);
    expect(hostMatches("*.example.com", "example.com")).toBe(false);
    expect(hostMatches("*.example.com", "evilexample.com")).toBe(false);
    expect(hostMatches("*.example.com", "example.com.evil.net")).toBe(false);
    expect(hostMatches("*", "anything.test")).toBe(true);
  });
});

describe("EgressRuleSchema", () => {
  it("refuses hosts that are not a name, a '*.' wildcard or '*'", () => {
    for (const host of [
      "API.example.com",
      "*example.com",
      "a.*.com",
      "exa mple.com",
      "example.com/",
      "",
      "-a.com",
      "a..com",
    ]) {
      expect(EgressRuleSchema.safeParse({ action: "allow", host }).success, host).toBe(false);
    }
    expect(EgressRuleSchema.safeParse({ action: "allow", host: "*.xn--80ak6aa92e.com", ports: [443] }).success).toBe(
      true,
    );
  });
});

describe("evaluateRules", () => {
  it("denies by default at the plan layer, and passes empty tenant and pulse layers", () => {
    expect(evaluateRules(policy({}), target("a.test"))).toMatchObject({ allowed: false, rule: "plan-default-deny" });
    expect(evaluateRules(policy({ plan: [allow("*")] }), target("a.test"))).toEqual({ allowed: true });
  });

  it("lets the first matching rule of a layer decide", () => {
    const p = policy({ plan: [deny("bad.test"), allow("*")] });
    expect(evaluateRules(p, target("bad.test"))).toMatchObject({ allowed: false, rule: "plan rule #1: deny bad.test" });
    expect(evaluateRules(p, target("good.test"))).toEqual({ allowed: true });
  });

  it("never lets a lower layer widen what a higher one denies, and lets it narrow", () => {
    const widen = policy({ plan: [allow("api.test")], pulse: [allow("*")] });
    expect(evaluateRules(widen, target("other.test"))).toMatchObject({ allowed: false, rule: "plan-default-deny" });
    const narrow = policy({ plan: [allow("*")], tenant: [allow("api.test")] });
    expect(evaluateRules(narrow, target("other.test"))).toMatchObject({ allowed: false, rule: "tenant-default-deny" });
    expect(evaluateRules(narrow, target("api.test"))).toEqual({ allowed: true });
  });

  it("checks schemes and ports when a rule names them", () => {
    const p = policy({ plan: [allow("api.test", { schemes: ["https"], ports: [443, 8443] })] });
    expect(evaluateRules(p, target("api.test", "https", 8443))).toEqual({ allowed: true });
    expect(evaluateRules(p, target("api.test", "http", 443)).allowed).toBe(false);
    expect(evaluateRules(p, target("api.test", "https", 22)).allowed).toBe(false);
  });
});
