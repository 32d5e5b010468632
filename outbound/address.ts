// Where a request is really going, and whether that place is internal. The WHATWG URL parser (workerd's)
// already canonicalises hosts for http(s): case, IDN -> punycode, percent-encoding, and the numeric IPv4
// forms (2130706433, 0177.0.0.1, 0x7f.1, 127.1 all become 127.0.0.1). We strip the trailing dot, then
// classify IP literals with ipaddr.js: only global unicast passes; every special range is refused by name.

import ipaddr from "ipaddr.js";

export interface EgressTarget {
  url: URL;
  scheme: "http" | "https";
  /** Lowercase, punycode, no trailing dot; IPv6 without brackets. */
  host: string;
  hostKind: "name" | "ipv4" | "ipv6";
  port: number;
}

export type TargetResult = { ok: true; target: EgressTarget } | { ok: false; rule: string; reason: string };

/** Names that are internal whatever DNS says: the runtime's own, cloud metadata, and local-only suffixes. */
const INTERNAL_NAMES = new Set(["localhost", "metadata", "metadata.google.internal", "instance-data", "instance-data.ec2.internal", "kubernetes", "kubernetes.default"]);
const INTERNAL_SUFFIXES = [".localhost", ".internal", ".local", ".localdomain", ".home.arpa", ".intranet", ".lan", ".corp"];

export function resolveTarget(raw: string): TargetResult {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, rule: "invalid-url", reason: "the URL cannot be parsed" };
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== "http" && scheme !== "https") {
    return { ok: false, rule: "scheme", reason: `only http and https are allowed, not ${scheme}` };
  }
  // Credentials in the URL are how "http://allowed.com@evil.com" hides its real host; we refuse them outright.
  if (url.username !== "" || url.password !== "") {
    return { ok: false, rule: "userinfo", reason: "URLs with credentials (user:password@) are refused" };
  }
  let host = url.hostname.replace(/\.+$/, "");
  if (host === "") return { ok: false, rule: "invalid-url", reason: "the URL has no host" };
  const port = url.port ? Number(url.port) : scheme === "https" ? 443 : 80;

  if (host.startsWith("[") && host.endsWith("]")) {
    host = host.slice(1, -1);
    const v6 = parseV6(host);
    if (!v6) return { ok: false, rule: "invalid-url", reason: "the IPv6 address cannot be parsed" };
    const internal = internalV6(v6);
    if (internal) return { ok: false, rule: "internal-address", reason: internal };
    return { ok: true, target: { url, scheme, host: v6.toNormalizedString(), hostKind: "ipv6", port } };
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) {
    const range = ipaddr.IPv4.parse(host).range();
    if (range !== "unicast") return { ok: false, rule: "internal-address", reason: `${host} is in the ${range} range` };
    return { ok: true, target: { url, scheme, host, hostKind: "ipv4", port } };
  }
  if (/^[0-9.]+$/.test(host) || /^0x/i.test(host)) {
    // The URL parser turns every valid numeric form into four decimal parts; what is left is malformed.
    return { ok: false, rule: "invalid-url", reason: "the host looks numeric but is not a valid IPv4 address" };
  }
  if (!host.includes(".")) return { ok: false, rule: "internal-name", reason: `single-label host "${host}" is internal` };
  if (INTERNAL_NAMES.has(host) || INTERNAL_SUFFIXES.some((s) => host.endsWith(s))) {
    return { ok: false, rule: "internal-name", reason: `${host} is an internal name` };
  }
  return { ok: true, target: { url, scheme, host, hostKind: "name", port } };
}

function parseV6(host: string): ipaddr.IPv6 | null {
  try {
    return ipaddr.IPv6.parse(host);
  } catch {
    return null;
  }
}

/** A reason when the IPv6 address is not global unicast; embedded IPv4 (mapped, NAT64, 6to4) is named. */
function internalV6(address: ipaddr.IPv6): string | null {
  const range = address.range();
  if (range === "unicast") return null;
  const bytes = address.toByteArray();
  if (range === "ipv4Mapped" || range === "rfc6145" || range === "rfc6052") {
    const v4 = new ipaddr.IPv4(bytes.slice(12, 16));
    return `${address.toNormalizedString()} is in the ${range} range (it embeds ${v4.toString()}, ${v4.range()})`;
  }
  if (range === "6to4") {
    const v4 = new ipaddr.IPv4(bytes.slice(2, 6));
    return `${address.toNormalizedString()} is in the 6to4 range (it embeds ${v4.toString()}, ${v4.range()})`;
  }
  return `${address.toNormalizedString()} is in the ${range} range`;
}

/** Hosts of the platform itself (dispatcher, control plane): a pulse calling them would loop. */
export function isPlatformHost(host: string, platformHosts: readonly string[]): boolean {
  return platformHosts.some((p) => host === p || host.endsWith(`.${p}`));
}
