// Removes known secret values from what flows back: upstream responses before the pulse sees them, and the
// pulse's responses before the end user does. Streaming, byte-wise, correct across chunk boundaries, in the
// spellings an echo is likely to use (raw, URL-encoded, JSON-escaped, base64).

export const REDACTED = "[redacted]";
const encoder = new TextEncoder();

/** How an echo may re-spell a value: escaped into JSON, URL-encoded, HTML-escaped, or as a URL parser leaves a query. */
const ENCODERS: ((v: string) => string)[] = [
  (v) => JSON.stringify(v).slice(1, -1),
  encodeURIComponent,
  (v) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
  (v) => v.replace(/[ "#'<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
];
const ENCODING_DEPTH = 3; /* JSON in JSON in JSON is common (an echo of a JSON body, returned as JSON, logged) */

/**
 * Every spelling of every value up to ENCODING_DEPTH nested encodings, plus base64: longest first, so a longer
 * spelling wins over a prefix of it. For the usual alphanumeric keys all spellings collapse into one or two.
 */
export function redactionPatterns(values: readonly string[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    if (v.length === 0) continue;
    let level = new Set([v]);
    for (const s of level) out.add(s);
    for (let depth = 0; depth < ENCODING_DEPTH; depth++) {
      const next = new Set<string>();
      for (const s of level) for (const encode of ENCODERS) next.add(encode(s));
      for (const s of next) out.add(s);
      level = next;
    }
    const b64 = btoa(String.fromCharCode(...encoder.encode(v)));
    out.add(b64);
    out.add(b64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, ""));
  }
  return [...out].sort((a, b) => b.length - a.length);
}

export function redactText(text: string, patterns: readonly string[]): string {
  let out = text;
  for (const p of patterns) out = out.split(p).join(REDACTED);
  return out;
}

export function redactHeaders(headers: Headers, patterns: readonly string[]): Headers {
  const out = new Headers();
  for (const [name, value] of headers) out.append(name, redactText(value, patterns));
  return out;
}

/** A TransformStream that replaces every pattern, holding back just enough bytes to see across chunks. */
export function redactingStream(patterns: readonly string[]): TransformStream<Uint8Array, Uint8Array> {
  const needles = patterns.map((p) => encoder.encode(p));
  const replacement = encoder.encode(REDACTED);
  const hold = Math.max(0, ...needles.map((n) => n.byteLength)) - 1;
  let carry = new Uint8Array(0);

  const process = (data: Uint8Array, final: boolean, controller: TransformStreamDefaultController<Uint8Array>) => {
    const safe = final ? data.byteLength : Math.max(0, data.byteLength - hold);
    let i = 0;
    let emitted = 0;
    while (i < safe) {
      const match = matchAt(data, i, needles);
      if (match === 0) {
        i += 1;
        continue;
      }
      if (i > emitted) controller.enqueue(data.slice(emitted, i));
      controller.enqueue(replacement);
      i += match;
      emitted = i;
    }
    const cut = Math.max(emitted, Math.min(i, data.byteLength));
    if (cut > emitted) controller.enqueue(data.slice(emitted, cut));
    carry = data.slice(cut);
    if (final && carry.byteLength) controller.enqueue(carry);
  };

  return new TransformStream({
    transform(chunk, controller) {
      const bytes = chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk as ArrayBuffer);
      const data = new Uint8Array(carry.byteLength + bytes.byteLength);
      data.set(carry);
      data.set(bytes, carry.byteLength);
      process(data, false, controller);
    },
    flush(controller) {
      const data = carry;
      carry = new Uint8Array(0);
      process(data, true, controller);
    },
  });
}

/** Length of the needle that matches at `at` (the longest comes first), or 0. */
function matchAt(data: Uint8Array, at: number, needles: readonly Uint8Array[]): number {
  outer: for (const n of needles) {
    if (at + n.byteLength > data.byteLength) continue;
    for (let k = 0; k < n.byteLength; k++) if (data[at + k] !== n[k]) continue outer;
    return n.byteLength;
  }
  return 0;
}

/** The same response with secret values removed from headers and body. */
export function redactResponse(response: Response, values: readonly string[]): Response {
  if (values.length === 0) return response;
  const patterns = redactionPatterns(values);
  const headers = redactHeaders(response.headers, patterns);
  headers.delete("content-length"); // redaction may change the length
  const body = response.body ? response.body.pipeThrough(redactingStream(patterns)) : null;
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
