// Custom domain rules that need no runtime: the one spelling of a hostname and what is refused
// (platform/custom-hostname.ts), and the DNS TXT check with a stand-in resolver (deployer/domains/dns-verifier.ts).

import { describe, expect, it } from "vitest";
import { isCustomHostCandidate, normaliseCustomHostname } from "../../platform/custom-hostname.ts";
import { createDohResolver, DnsTxtVerifier, type TxtResolver } from "../../deployer/domains/dns-verifier.ts";
import { ApiError } from "../../platform/errors.ts";

const BASE = "pulses.example.com";
const hostnameOf = (input: string) => normaliseCustomHostname(input, BASE);

describe("custom hostnames", () => {
  it("are stored lowercase, without a trailing dot, Unicode as punycode", () => {
    expect(hostnameOf("App.Example.COM.")).toEqual({ ok: true, hostname: "app.example.com" });
    expect(hostnameOf("  shop.example.co.uk ")).toEqual({ ok: true, hostname: "shop.example.co.uk" });
    expect(hostnameOf("bücher.example")).toEqual({ ok: true, hostname: "xn--bcher-kva.example" });
    // A Cyrillic "а" is another name than the Latin one: never folded onto it.
    const homograph = hostnameOf("\u0430pple.example.com");
    expect(homograph.ok && homograph.hostname).toMatch(/^xn--/);
    expect(homograph.ok && homograph.hostname).not.toBe("apple.example.com");
  });

  it("refuse the platform's own domain, its subdomains and its parents", () => {
    for (const input of [BASE, `victim.${BASE}`, `a.b.${BASE}`, `VICTIM.${BASE.toUpperCase()}.`, "example.com"]) {
      expect(hostnameOf(input), input).toMatchObject({ ok: false, code: "hostname_not_allowed" });
    }
    expect(hostnameOf("pulses.example.com.evil.com")).toMatchObject({ ok: true });
    expect(hostnameOf("xpulses.example.com")).toMatchObject({ ok: true });
  });

  it("refuse IP literals, single labels, wildcards, special-use names, ports, schemes and paths", () => {
    const invalid = [
      "127.0.0.1",
      "0x7f.1",
      "2130706433",
      "[::1]",
      "::1",
      "intranet",
      "*.example.com",
      "app.example.com:8080",
      "https://app.example.com",
      "app.example.com/x",
      "user@app.example.com",
      "a..example.com",
      "-a.example.com",
      "a_b.example.com",
      "",
      `${"a".repeat(64)}.example.com`,
    ];
    for (const input of invalid)
      expect(hostnameOf(input), input).toMatchObject({ ok: false, code: "hostname_invalid" });
    for (const input of [
      "localhost",
      "app.localhost",
      "printer.local",
      "db.internal",
      "x.onion",
      "1.0.0.127.in-addr.arpa",
    ]) {
      expect(hostnameOf(input), input).toMatchObject({ ok: false });
    }
  });

  it("a Host the dispatcher looks up is two or more LDH labels ending in a name, never an address", () => {
    expect(isCustomHostCandidate("app.example.com")).toBe(true);
    expect(isCustomHostCandidate("xn--pple-43d.example.com")).toBe(true);
    for (const host of ["127.0.0.1", "[::1]", "localhost", "", "a.b.c.1", "app.example.com:80", "app_x.example.com"]) {
      expect(isCustomHostCandidate(host), host).toBe(false);
    }
  });
});

/** Answers TXT lookups from a table; a name in `failing` makes the lookup itself fail. */
function standInResolver(records: Record<string, string[]>, failing: string[] = []): TxtResolver & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async txt(name) {
      asked.push(name);
      if (failing.includes(name)) throw new Error("SERVFAIL");
      return records[name] ?? [];
    },
  };
}

describe("the DNS TXT check", () => {
  const claim = { hostname: "app.example.com", token: "0123456789abcdef0123456789abcdef", providerId: null };

  it("asks for _pulse-challenge.{hostname} and passes only on the claim's own token", async () => {
    const { challenge } = await new DnsTxtVerifier(standInResolver({})).register(claim.hostname, claim.token);
    expect(challenge).toEqual({ dns: { type: "TXT", name: "_pulse-challenge.app.example.com", value: claim.token } });

    const resolver = standInResolver({ "_pulse-challenge.app.example.com": ["v=spf1 -all", claim.token] });
    expect(await new DnsTxtVerifier(resolver).check(claim)).toEqual({ verified: true });
    expect(resolver.asked).toEqual(["_pulse-challenge.app.example.com"]);
  });

  it("fails with what it found: no record, another claim's token, the token at the wrong name", async () => {
    const none = await new DnsTxtVerifier(standInResolver({})).check(claim);
    expect(none).toMatchObject({ verified: false, reason: expect.stringContaining("No TXT record") });
    const other = standInResolver({ "_pulse-challenge.app.example.com": ["ffffffffffffffffffffffffffffffff"] });
    expect(await new DnsTxtVerifier(other).check(claim)).toMatchObject({ verified: false });
    const prefix = standInResolver({ "_pulse-challenge.app.example.com": [`${claim.token}x`, claim.token.slice(1)] });
    expect(await new DnsTxtVerifier(prefix).check(claim)).toMatchObject({ verified: false });
    const elsewhere = standInResolver({
      "app.example.com": [claim.token],
      "_pulse-challenge.example.com": [claim.token],
    });
    expect(await new DnsTxtVerifier(elsewhere).check(claim)).toMatchObject({ verified: false });
  });

  it("a resolver failure is a 502 to retry, not a failed proof", async () => {
    const failing = standInResolver({}, ["_pulse-challenge.app.example.com"]);
    const error = await new DnsTxtVerifier(failing).check(claim).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "domain_check_unavailable", status: 502 });
    expect((error as Error).message).not.toContain("SERVFAIL");
  });
});

describe("the DNS-over-HTTPS resolver", () => {
  function dohServer(answer: unknown, status = 200) {
    const requests: Request[] = [];
    const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(new Request(input, init));
      return new Response(JSON.stringify(answer), { status, headers: { "content-type": "application/dns-json" } });
    }) as typeof fetch;
    return { requests, resolver: createDohResolver("https://resolver.test/dns-query", fetcher) };
  }

  it("asks for TXT in the JSON form and joins split character-strings", async () => {
    const { requests, resolver } = dohServer({
      Status: 0,
      Answer: [
        { name: "_pulse-challenge.app.example.com", type: 16, data: '"abc" "def"' },
        { name: "_pulse-challenge.app.example.com", type: 16, data: '"quo\\"ted"' },
        { name: "_pulse-challenge.app.example.com", type: 16, data: "unquoted" },
        { name: "_pulse-challenge.app.example.com", type: 5, data: "alias.example.com." },
      ],
    });
    expect(await resolver.txt("_pulse-challenge.app.example.com")).toEqual(["abcdef", 'quo"ted', "unquoted"]);
    const url = new URL(requests[0]!.url);
    expect([url.origin + url.pathname, url.searchParams.get("name"), url.searchParams.get("type")]).toEqual([
      "https://resolver.test/dns-query",
      "_pulse-challenge.app.example.com",
      "TXT",
    ]);
    expect(requests[0]!.headers.get("accept")).toBe("application/dns-json");
  });

  it("reads NXDOMAIN as no record, and SERVFAIL or an HTTP error as a failed lookup", async () => {
    expect(await dohServer({ Status: 3 }).resolver.txt("_pulse-challenge.x.example.com")).toEqual([]);
    await expect(dohServer({ Status: 2 }).resolver.txt("_pulse-challenge.x.example.com")).rejects.toThrow();
    await expect(dohServer({}, 500).resolver.txt("_pulse-challenge.x.example.com")).rejects.toThrow();
  });
});
