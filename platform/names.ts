// Pulse names are DNS labels: they become `{name}.{base-domain}`. They never contain ":" because KV keys
// are stored as `vibe:{VIBE_ID}:{key}` and a ":" in an id would let two pulses' key spaces overlap.

/** RFC 1123 label, lowercase only, at most 63 characters, no leading or trailing hyphen. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Where pulses are served unless configured otherwise: {name}.pulses.localhost. */
export const DEFAULT_BASE_DOMAIN = "pulses.localhost";

/** Labels of the platform itself: never a pulse, whatever the database says. */
export const RESERVED_LABELS: ReadonlySet<string> = new Set([
  "api",
  "www",
  "admin",
  "app",
  "studio",
  "dashboard",
  "console",
  "control",
  "deploy",
  "deployer",
  "dispatch",
  "dispatcher",
  "outbound",
  "static",
  "assets",
  "cdn",
  "mail",
  "smtp",
  "ns",
  "ns1",
  "ns2",
  "status",
  "docs",
  "help",
  "support",
  "auth",
  "login",
  "oauth",
  "sso",
  "internal",
  "localhost",
  "platform",
  "pulse",
  "pulses",
  "health",
  "metrics",
  "mcp",
]);

export function isDnsLabel(value: string): boolean {
  return LABEL.test(value);
}

/** A name a pulse may have: a DNS label that the platform has not reserved. */
export function isValidPulseName(value: string): boolean {
  return isDnsLabel(value) && !RESERVED_LABELS.has(value);
}

/** Internal ids (VIBE_ID, tenant ids): lowercase letters and digits only, so they are DNS labels too. */
const ID = /^[a-z0-9]{1,40}$/;

export function isValidId(value: string): boolean {
  return ID.test(value);
}

/** A random id with a readable prefix: 1 letter + 20 base32 characters = 100 bits of randomness. */
/** Prefixes: p pulse, t tenant, d deployment, r a preview's throwaway storage (never a pulse's id). */
export function newId(prefix: "p" | "t" | "d" | "r"): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  let out: string = prefix;
  for (const b of bytes) out += alphabet[b & 31];
  return out;
}
