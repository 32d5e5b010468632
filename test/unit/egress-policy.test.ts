// The egress decision, table-driven, on workerd's own URL parser: every encoding of an internal address,
// every special range, userinfo tricks, schemes, the platform's hosts, and the plan/tenant/pulse layers.

import { describe, expect, it } from "vitest";
import { decideEgress } from "../../outbound/policy.ts";
import type { EgressPolicy } from "../../outbound/rules.ts";

const PLATFORM = ["pulses.localhost", "pulse.example.net"];
const OPEN: EgressPolicy = { plan: [{ action: "allow", host: "*" }], tenant: [], pulse: [] };

type Case = [url: string, expected: "allow" | string /* rule name when denied */, note?: string];

const ADDRESS_CASES: Case[] = [
  // allowed public targets
  ["https://example.com/", "allow"],
  ["http://example.com:8080/x?y=1", "allow"],
  ["https://EXAMPLE.com./", "allow", "case and trailing dot"],
  ["https://8.8.8.8/", "allow", "public IPv4"],
  ["https://[2606:4700:4700::1111]/", "allow", "public IPv6"],
  ["https://bücher.example/", "allow", "IDN becomes punycode"],
  ["https://api.stripe.com/v1/charges", "allow"],
  // loopback in every spelling
  ["http://127.0.0.1/", "internal-address"],
  ["http://127.1/", "internal-address", "short form"],
  ["http://127.0.1/", "internal-address", "short form, three parts"],
  ["http://2130706433/", "internal-address", "decimal"],
  ["http://0177.0.0.1/", "internal-address", "octal"],
  ["http://0x7f.1/", "internal-address", "hex short"],
  ["http://0x7f000001/", "internal-address", "hex whole"],
  ["http://0x7F.0x0.0x0.0x1/", "internal-address", "hex parts"],
  ["http://017700000001/", "internal-address", "octal whole"],
  ["http://127.000.000.001/", "internal-address", "zero padded"],
  ["http://%31%32%37.0.0.1/", "internal-address", "percent-encoded"],
  ["http://127.0.0.1.:8787/", "internal-address", "trailing dot and port"],
  ["http://[::1]/", "internal-address", "IPv6 loopback"],
  ["http://[0:0:0:0:0:0:0:1]/", "internal-address", "IPv6 loopback, long form"],
  ["http://[::ffff:127.0.0.1]/", "internal-address", "IPv4-mapped"],
  ["http://[::ffff:7f00:1]/", "internal-address", "IPv4-mapped, hex"],
  ["http://[64:ff9b::127.0.0.1]/", "internal-address", "NAT64"],
  ["http://[64:ff9b::a00:1]/", "internal-address", "NAT64 of 10.0.0.1"],
  ["http://[2002:7f00:1::]/", "internal-address", "6to4 of 127.0.0.1"],
  ["http://[::127.0.0.1]/", "internal-address", "IPv4-compatible (deprecated ::/96)"],
  ["http://[::7f00:1]/", "internal-address", "IPv4-compatible, hex"],
  ["http://[::a9fe:a9fe]/", "internal-address", "IPv4-compatible of the metadata address"],
  ["http://[::8.8.8.8]/", "internal-address", "IPv4-compatible of a public address: the range is deprecated"],
  ["http://[::ffff:0:7f00:1]/", "internal-address", "IPv4-translated (RFC 6145)"],
  ["http://[64:ff9b:1::7f00:1]/", "internal-address", "local-use NAT64"],
  ["http://[64:ff9b::808:808]/", "internal-address", "NAT64 of a public address"],
  ["http://[2002:a9fe:a9fe::1]/", "internal-address", "6to4 of the metadata address"],
  ["http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "internal-address", "Teredo, client 127.0.0.1 (XORed)"],
  ["http://[2606:4700::5efe:7f00:1]/", "internal-address", "ISATAP interface id of 127.0.0.1"],
  ["http://[2606:4700::200:5efe:a00:1]/", "internal-address", "ISATAP (universal bit) of 10.0.0.1"],
  ["http://[::]/", "internal-address", "IPv6 unspecified"],
  ["http://0.0.0.0/", "internal-address", "unspecified"],
  ["http://0/", "internal-address", "unspecified, short"],
  // private and other special ranges
  ["http://10.0.0.1/", "internal-address"],
  ["http://10.255.255.255/", "internal-address"],
  ["http://172.16.0.1/", "internal-address"],
  ["http://172.31.255.254/", "internal-address"],
  ["http://192.168.1.1/", "internal-address"],
  ["http://0xc0a80101/", "internal-address", "192.168.1.1 in hex"],
  ["http://3232235777/", "internal-address", "192.168.1.1 in decimal"],
  ["http://169.254.169.254/latest/meta-data/", "internal-address", "cloud metadata"],
  ["http://169.254.0.1/", "internal-address", "link-local"],
  ["http://100.64.0.1/", "internal-address", "CGNAT"],
  ["http://100.100.100.200/", "internal-address", "Alibaba metadata (CGNAT)"],
  ["http://224.0.0.1/", "internal-address", "multicast"],
  ["http://239.255.255.250/", "internal-address", "multicast SSDP"],
  ["http://255.255.255.255/", "internal-address", "broadcast"],
  ["http://240.0.0.1/", "internal-address", "reserved"],
  ["http://192.0.2.1/", "internal-address", "TEST-NET-1"],
  ["http://198.18.0.1/", "internal-address", "benchmarking"],
  ["http://192.0.0.192/", "internal-address", "Oracle metadata (IETF protocol assignments)"],
  ["http://[fe80::1]/", "internal-address", "IPv6 link-local"],
  ["http://[fc00::1]/", "internal-address", "IPv6 unique local"],
  ["http://[fd00:ec2::254]/", "internal-address", "AWS IPv6 metadata"],
  ["http://[ff02::1]/", "internal-address", "IPv6 multicast"],
  ["http://[fec0::1]/", "internal-address", "deprecated site-local"],
  ["http://[2001:db8::1]/", "internal-address", "documentation range"],
  // names that are internal whatever DNS says
  ["http://localhost/", "internal-name"],
  ["http://LOCALHOST./", "internal-name"],
  ["http://api.localhost/", "internal-name"],
  ["http://metadata.google.internal/computeMetadata/v1/", "internal-name"],
  ["http://metadata/", "internal-name"],
  ["http://instance-data/", "internal-name"],
  ["http://printer.local/", "internal-name"],
  ["http://router.home.arpa/", "internal-name"],
  ["http://intranet/", "internal-name", "single label"],
  // the platform itself
  ["http://counter.pulses.localhost/", "internal-name", "pulses on the local base domain are .localhost"],
  ["https://pulse.example.net/", "platform-host"],
  ["https://victim.pulse.example.net/", "platform-host"],
  ["https://PULSE.EXAMPLE.NET./", "platform-host"],
  // userinfo tricks
  ["http://example.com@127.0.0.1/", "userinfo"],
  ["http://allowed.com@evil.com/", "userinfo"],
  ["http://user:pass@example.com/", "userinfo"],
  ["http://example.com%40127.0.0.1/", "invalid-url"],
  // schemes and malformed input
  ["ftp://example.com/", "scheme"],
  ["file:///etc/passwd", "scheme"],
  ["gopher://example.com/", "scheme"],
  ["ws://example.com/", "scheme"],
  ["data:text/plain,hi", "scheme"],
  ["javascript:alert(1)", "scheme"],
  ["not a url", "invalid-url"],
  ["http://256.256.256.256/", "invalid-url"],
  ["http://1.2.3.4.5/", "invalid-url"],
  ["http://[::1/", "invalid-url"],
];

describe("egress: fixed blocks", () => {
  it.each(ADDRESS_CASES)("%s -> %s (%s)", (url, expected) => {
    const decision = decideEgress(url, OPEN, PLATFORM);
    if (expected === "allow") {
      expect(decision).toMatchObject({ allowed: true });
    } else {
      expect(decision.allowed).toBe(false);
      if (!decision.allowed) {
        expect(decision.rule).toBe(expected);
        expect(decision.reason.length).toBeGreaterThan(0);
      }
    }
  });

  it("names the embedded address of mapped and NAT64 forms", () => {
    const d = decideEgress("http://[::ffff:10.0.0.1]/", OPEN, PLATFORM);
    expect(d.allowed).toBe(false);
    if (!d.allowed) expect(d.reason).toContain("10.0.0.1, private");
  });

  it("holds even when every rule allows everything", () => {
    const wide: EgressPolicy = {
      plan: [{ action: "allow", host: "*" }],
      tenant: [{ action: "allow", host: "*" }],
      pulse: [{ action: "allow", host: "*" }],
    };
    expect(decideEgress("http://127.0.0.1/", wide, PLATFORM).allowed).toBe(false);
    expect(decideEgress("http://[::ffff:169.254.169.254]/", wide, PLATFORM).allowed).toBe(false);
  });
});

describe("egress: rule layers", () => {
  const policy = (p: Partial<EgressPolicy>): EgressPolicy => ({
    plan: [{ action: "allow", host: "*" }],
    tenant: [],
    pulse: [],
    ...p,
  });
  const RULE_CASES: [string, EgressPolicy, string, string][] = [
    ["plan without rules denies", policy({ plan: [] }), "https://example.com/", "plan-default-deny"],
    [
      "plan deny wins over pulse allow",
      policy({
        plan: [
          { action: "deny", host: "*.evil.com" },
          { action: "allow", host: "*" },
        ],
        pulse: [{ action: "allow", host: "*" }],
      }),
      "https://x.evil.com/",
      "plan rule #1: deny *.evil.com",
    ],
    [
      "tenant narrows",
      policy({ tenant: [{ action: "allow", host: "api.stripe.com" }] }),
      "https://example.com/",
      "tenant-default-deny",
    ],
    [
      "tenant allows its host",
      policy({ tenant: [{ action: "allow", host: "api.stripe.com" }] }),
      "https://api.stripe.com/",
      "allow",
    ],
    [
      "pulse narrows to one host",
      policy({ pulse: [{ action: "allow", host: "api.github.com" }] }),
      "https://example.com/",
      "pulse-default-deny",
    ],
    [
      "pulse deny",
      policy({
        pulse: [
          { action: "deny", host: "tracker.example.com" },
          { action: "allow", host: "*" },
        ],
      }),
      "https://tracker.example.com/",
      "pulse rule #1: deny tracker.example.com",
    ],
    [
      "wildcard matches subdomains",
      policy({ pulse: [{ action: "allow", host: "*.example.com" }] }),
      "https://a.b.example.com/",
      "allow",
    ],
    [
      "wildcard does not match the apex",
      policy({ pulse: [{ action: "allow", host: "*.example.com" }] }),
      "https://example.com/",
      "pulse-default-deny",
    ],
    [
      "wildcard does not match a suffix lookalike",
      policy({ pulse: [{ action: "allow", host: "*.example.com" }] }),
      "https://evilexample.com/",
      "pulse-default-deny",
    ],
    [
      "scheme restriction",
      policy({ pulse: [{ action: "allow", host: "example.com", schemes: ["https"] }] }),
      "http://example.com/",
      "pulse-default-deny",
    ],
    [
      "port restriction",
      policy({ pulse: [{ action: "allow", host: "example.com", ports: [443] }] }),
      "https://example.com:8443/",
      "pulse-default-deny",
    ],
    [
      "default port counts",
      policy({ pulse: [{ action: "allow", host: "example.com", ports: [443] }] }),
      "https://example.com/",
      "allow",
    ],
    [
      "first match wins inside a layer",
      policy({
        pulse: [
          { action: "allow", host: "a.example.com" },
          { action: "deny", host: "*.example.com" },
        ],
      }),
      "https://a.example.com/",
      "allow",
    ],
  ];
  it.each(RULE_CASES)("%s", (_name, p, url, expected) => {
    const d = decideEgress(url, p, PLATFORM);
    if (expected === "allow") expect(d.allowed).toBe(true);
    else {
      expect(d.allowed).toBe(false);
      if (!d.allowed) expect(d.rule).toBe(expected);
    }
  });
});
