// Removes known secret values from what flows back: upstream responses before the pulse sees them, and the
// pulse's responses before the end user does. Streaming, byte-wise, correct across chunk boundaries, in the
// spellings an echo is likely to use (platform/secret-spellings.ts), one pass whatever the number of secrets.
//
// What it cannot do: see through an encoding it does not know (compression without a Content-Encoding, a
// cipher, a reversed string). See SECURITY.md for what holds regardless.

import { matcherFor, type SecretMatcher } from "./secret-matcher.ts";

export const REDACTED = "[redacted]";
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const REPLACEMENT = encoder.encode(REDACTED);

/**
 * One redaction pass over a byte stream. Every byte covered by a match is replaced; overlapping matches merge
 * into one span and one marker. Bytes are held back only while a match could still start in them (the longest
 * spelling minus one).
 */
class Redaction {
  #state = 0;
  #pending = new Uint8Array(0); // not emitted yet, starting at #pendingStart
  #pendingStart = 0;
  #scanned = 0;
  /** Matched spans [from, to) in absolute offsets, ascending and disjoint, none before #pendingStart. */
  #spans: number[] = [];

  readonly matcher: SecretMatcher;

  constructor(matcher: SecretMatcher) {
    this.matcher = matcher;
  }

  write(bytes: Uint8Array, final: boolean, emit: (bytes: Uint8Array) => void): void {
    if (bytes.byteLength) {
      const joined = new Uint8Array(this.#pending.byteLength + bytes.byteLength);
      joined.set(this.#pending);
      joined.set(bytes, this.#pending.byteLength);
      this.#pending = joined;
      this.#scan(bytes);
    }
    this.#emit(final ? this.#scanned : this.#scanned - (this.matcher.maxLength - 1), emit);
  }

  #scan(bytes: Uint8Array): void {
    const spans = this.#spans;
    for (let i = 0; i < bytes.byteLength; i++) {
      this.#state = this.matcher.step(this.#state, bytes[i]!);
      const length = this.matcher.longestAt(this.#state);
      if (length === 0) continue;
      let to = this.#scanned + i + 1;
      let from = to - length;
      while (spans.length && spans[spans.length - 1]! > from) {
        to = Math.max(to, spans.pop()!);
        from = Math.min(from, spans.pop()!);
      }
      spans.push(from, to);
    }
    this.#scanned += bytes.byteLength;
  }

  /** Emits what no later match can touch: everything before `upTo` outside a span, a marker per final span. */
  #emit(upTo: number, emit: (bytes: Uint8Array) => void): void {
    const spans = this.#spans;
    let cursor = this.#pendingStart;
    const piece = (end: number) => {
      if (end > cursor) emit(this.#pending.subarray(cursor - this.#pendingStart, end - this.#pendingStart));
    };
    let done = 0;
    while (done < spans.length && spans[done + 1]! <= upTo) {
      piece(spans[done]!);
      emit(REPLACEMENT);
      cursor = spans[done + 1]!;
      done += 2;
    }
    spans.splice(0, done);
    const safe = spans.length ? Math.min(spans[0]!, upTo) : upTo;
    piece(safe);
    cursor = Math.max(cursor, safe);
    this.#pending = this.#pending.slice(cursor - this.#pendingStart);
    this.#pendingStart = cursor;
  }
}

export function redactText(text: string, matcher: SecretMatcher): string {
  const parts: Uint8Array[] = [];
  new Redaction(matcher).write(encoder.encode(text), true, (b) => parts.push(b));
  if (parts.length === 1 && parts[0] !== REPLACEMENT) return text; // nothing matched: the whole text, once
  let out = "";
  for (const p of parts) out += decoder.decode(p, { stream: true });
  return out + decoder.decode();
}

export function redactHeaders(headers: Headers, matcher: SecretMatcher): Headers {
  const out = new Headers();
  for (const [name, value] of headers) out.append(name, redactText(value, matcher));
  return out;
}

/** A TransformStream that replaces every spelling the matcher knows, across chunk boundaries. */
export function redactingStream(matcher: SecretMatcher): TransformStream<Uint8Array, Uint8Array> {
  const redaction = new Redaction(matcher);
  return new TransformStream({
    transform(chunk, controller) {
      const bytes = chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk as ArrayBuffer);
      redaction.write(bytes, false, (b) => controller.enqueue(b));
    },
    flush(controller) {
      redaction.write(new Uint8Array(0), true, (b) => controller.enqueue(b));
    },
  });
}

/** The same response with the secret values removed from headers and body. Free for a pulse without secrets. */
export function redactResponse(response: Response, secrets: readonly { value: string }[]): Response {
  if (secrets.length === 0) return response;
  const matcher = matcherFor(secrets);
  const headers = redactHeaders(response.headers, matcher);
  headers.delete("content-length"); // redaction may change the length
  const body = response.body ? response.body.pipeThrough(redactingStream(matcher)) : null;
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
