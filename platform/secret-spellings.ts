// How an echo may re-spell a secret value: the spellings redaction removes from responses and the outgoing
// check looks for. Shared by the outbound worker (which matches them) and the control plane (which refuses a
// value whose spellings would be too costly to match, see secret-limits.ts).

const encoder = new TextEncoder();

/** Escaped into JSON, URL-encoded, HTML-escaped, or as a URL parser leaves a query. */
const ENCODERS: ((v: string) => string)[] = [
  (v) => JSON.stringify(v).slice(1, -1),
  encodeURIComponent,
  (v) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
  (v) => v.replace(/[ "#'<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
];
const ENCODING_DEPTH = 3; /* JSON in JSON in JSON is common (an echo of a JSON body, returned as JSON, logged) */

/**
 * Every spelling of one value up to ENCODING_DEPTH nested encodings, plus base64 and base64url. For the usual
 * alphanumeric keys all spellings collapse into two or three.
 */
export function secretSpellings(value: string): string[] {
  if (value.length === 0) return [];
  const out = new Set<string>([value]);
  let level = new Set([value]);
  for (let depth = 0; depth < ENCODING_DEPTH; depth++) {
    const next = new Set<string>();
    for (const s of level) for (const encode of ENCODERS) next.add(encode(s));
    for (const s of next) out.add(s);
    level = next;
  }
  const b64 = btoa(String.fromCharCode(...encoder.encode(value)));
  out.add(b64);
  out.add(b64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, ""));
  return [...out];
}

/** UTF-8 bytes of all spellings of one value: what the value adds to its pulse's matcher. */
export function spellingBytes(value: string): number {
  let total = 0;
  for (const s of secretSpellings(value)) total += encoder.encode(s).byteLength;
  return total;
}
