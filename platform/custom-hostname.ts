// A developer's own hostname (app.example.com), spelled one way everywhere: lowercase ASCII after IDNA
// (Unicode labels become punycode, so a homograph is a different name, never the same one), no trailing dot.
// The control plane refuses names that could never be the developer's alone: the platform's own domain, its
// subdomains and its parents (a pulse on example.com could set cookies for every pulse under
// pulses.example.com), IP literals, single labels, wildcards and special-use names (localhost, .local, ...).

/** The DNS name whose TXT record carries the proof: `_pulse-challenge.{hostname}`. */
export const CHALLENGE_LABEL = "_pulse-challenge";

const MAX_HOSTNAME_LENGTH = 253; /* RFC 1035: 255 octets on the wire, 253 characters as text */

/** RFC 1123 letters-digits-hyphen label (punycode labels are of this form too). */
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * What the dispatcher accepts as a possible custom host before it asks the database: two or more LDH labels,
 * the last one starting with a letter (so IPv4 literals, bracketed IPv6 and single labels never cost a lookup).
 */
const CUSTOM_HOST = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Special-use top-level names (RFC 6761, RFC 6762, RFC 7686, ICANN's .internal): never one developer's. */
const SPECIAL_USE_TLDS: ReadonlySet<string> = new Set(["localhost", "local", "internal", "invalid", "arpa", "onion"]);

export type HostnameCheck =
  | { ok: true; hostname: string }
  | { ok: false; code: "hostname_invalid" | "hostname_not_allowed"; message: string };

/** A host the dispatcher may look up among verified custom domains (`host` is already lowercase, portless). */
export function isCustomHostCandidate(host: string): boolean {
  return CUSTOM_HOST.test(host);
}

/** The one spelling of `input` as a custom domain of a pulse, or why it cannot be one. */
export function normaliseCustomHostname(input: string, platformDomain: string): HostnameCheck {
  const raw = input.trim();
  if (raw === "") return invalid("The hostname is empty");
  if (raw.includes("*")) return invalid("Wildcard hostnames are not supported: add each hostname on its own");
  if (/[\s/:@?#\\[\]%]/.test(raw)) return invalid("Send a bare hostname: no scheme, port, path or IP literal");
  let ascii: string;
  try {
    // WHATWG URL parsing applies IDNA (UTS #46): case folding, Unicode to punycode, IPv4 forms to dotted quads.
    ascii = new URL(`http://${raw}/`).hostname;
  } catch {
    return invalid(`"${raw}" is not a valid hostname`);
  }
  const hostname = ascii.endsWith(".") ? ascii.slice(0, -1) : ascii;
  if (hostname.length > MAX_HOSTNAME_LENGTH) return invalid(`A hostname has at most ${MAX_HOSTNAME_LENGTH} characters`);
  const labels = hostname.split(".");
  if (labels.length < 2) return invalid("Single-label names are not routable: use a full name like app.example.com");
  if (!labels.every((label) => LDH_LABEL.test(label))) {
    return invalid(`"${raw}" is not a valid hostname: labels are letters, digits and '-', 1-63 characters each`);
  }
  const tld = labels[labels.length - 1]!;
  if (/^[0-9]+$/.test(tld)) return invalid("IP addresses cannot be custom domains");
  if (SPECIAL_USE_TLDS.has(tld)) return notAllowed(`Names under .${tld} are special-use and cannot be custom domains`);
  const platform = platformDomain.toLowerCase().replace(/\.+$/, "");
  if (hostname === platform || hostname.endsWith(`.${platform}`)) {
    return notAllowed(`${hostname} is the platform's own domain; pulses are served there already`);
  }
  if (platform.endsWith(`.${hostname}`)) {
    return notAllowed(`${hostname} is a parent of the platform's domain and cannot belong to one pulse`);
  }
  return { ok: true, hostname };
}

function invalid(message: string): HostnameCheck {
  return { ok: false, code: "hostname_invalid", message };
}

function notAllowed(message: string): HostnameCheck {
  return { ok: false, code: "hostname_not_allowed", message };
}
