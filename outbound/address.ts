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
const INTERNAL_NAMES = new Set([
  "localhost",
  "metadata",
  "metadata.google.internal",
  "instance-data",
  "instance-data.ec2.internal",
  "kubernetes",
  "kubernetes.default",
]);
const INTERNAL_SUFFIXES = [
  ".localhost",
  ".internal",
  ".local",
  ".localdomain",
  ".home.arpa",
  ".intranet",
  ".lan",
  ".corp",
];

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
  if (!host.includes("."))
    return { ok: false, rule: "internal-name", reason: `single-label host "${host}" is internal` };
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

/**
 * A reason when the IPv6 address is not global unicast. Every form that carries an IPv4 address is judged by
 * that address first (a socket to it may reach the IPv4 host through a translator or the kernel's own stack),
 * then by its own range: the deprecated IPv4-compatible ::/96 is "unicast" to ipaddr.js, so the range alone
 * would let ::127.0.0.1 through.
 */
function internalV6(address: ipaddr.IPv6): string | null {
  const shown = address.toNormalizedString();
  for (const { form, v4 } of embeddedIPv4(address)) {
    const range = v4.range();
    if (range !== "unicast") return `${shown} is ${form} (it embeds ${v4.toString()}, ${range})`;
  }
  const range = address.range();
  if (range !== "unicast") return `${shown} is in the ${range} range`;
  if (isIPv4Compatible(address.toByteArray())) return `${shown} is in the deprecated IPv4-compatible range ::/96`;
  return null;
}

interface EmbeddedIPv4 {
  /** How the address carries it, for the refusal's reason. */
  form: string;
  v4: ipaddr.IPv4;
}

/**
 * The IPv4 addresses an IPv6 address carries, by form: IPv4-mapped ::ffff:0:0/96 and RFC 6145's
 * ::ffff:0:0:0/96, IPv4-compatible ::/96, NAT64 64:ff9b::/96 and the local-use 64:ff9b:1::/48 (read at /96;
 * the range is refused whatever it carries, its layout depends on the operator's prefix length), 6to4
 * 2002::/16, Teredo 2001::/32 (server, and client XORed with 0xff), and ISATAP interface ids (::5efe:a.b.c.d).
 */
function embeddedIPv4(address: ipaddr.IPv6): EmbeddedIPv4[] {
  const b = address.toByteArray();
  const at = (offset: number, mask = 0) => new ipaddr.IPv4(b.slice(offset, offset + 4).map((x) => x ^ mask));
  const words = address.parts;
  const found: EmbeddedIPv4[] = [];
  if (isIPv4Compatible(b)) found.push({ form: "IPv4-compatible", v4: at(12) });
  if (address.range() === "ipv4Mapped") found.push({ form: "IPv4-mapped", v4: at(12) });
  if (address.range() === "rfc6145") found.push({ form: "IPv4-translated", v4: at(12) });
  if (words[0] === 0x64 && words[1] === 0xff9b) found.push({ form: "NAT64", v4: at(12) });
  if (words[0] === 0x2002) found.push({ form: "6to4", v4: at(2) });
  if (words[0] === 0x2001 && words[1] === 0) {
    found.push({ form: "Teredo (server)", v4: at(4) }, { form: "Teredo (client)", v4: at(12, 0xff) });
  }
  if ((words[4] === 0 || words[4] === 0x200) && words[5] === 0x5efe) found.push({ form: "ISATAP", v4: at(12) });
  return found;
}

/** ::/96 but :: and ::1: the deprecated IPv4-compatible form (RFC 4291 2.5.5.1). */
function isIPv4Compatible(bytes: number[]): boolean {
  return bytes.slice(0, 12).every((x) => x === 0) && (bytes.slice(12, 15).some((x) => x !== 0) || bytes[15]! > 1);
}

/** Hosts of the platform itself (dispatcher, control plane): a pulse calling them would loop. */
export function isPlatformHost(host: string, platformHosts: readonly string[]): boolean {
  return platformHosts.some((p) => host === p || host.endsWith(`.${p}`));
}
