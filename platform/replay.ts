// What shadow replay keeps of one invocation of a pulse, and how a body is kept: whole and with its digest when
// it is small enough, otherwise dropped and marked. Written by the dispatcher (and, for the pulse's outgoing
// requests, by the outbound gate), read back by a preview.

import { concatBytes } from "./read-capped.ts";

/** A body as recorded: the text (or base64 when it is not UTF-8) and its SHA-256, or only its size when dropped. */
export interface RecordedBody {
  /** Bytes seen; for a dropped body, how far reading got before it stopped (more than the bound). */
  bytes: number;
  /** SHA-256 (hex) of the whole body; null when it was dropped. */
  sha256: string | null;
  text?: string;
  base64?: string;
  /** Why the body is not kept: larger than the bound, or it did not finish in time. */
  dropped?: "too_large" | "timeout";
}

/** One outgoing request of the pulse as the outbound gate answered it (the answer the pulse saw). */
export interface RecordedExchange {
  method: string;
  /** As the pulse wrote it: secret references, never values. */
  url: string;
  status: number;
  contentType: string | null;
  body: RecordedBody | null;
}

export interface RecordedInvocation {
  /** Store order; set by the store. */
  id?: number;
  recordedAt: number;
  requestId: string;
  versionId: string;
  request: {
    method: string;
    path: string;
    /** "?a=1&b=2" with credential-like parameters removed, or "". */
    query: string;
    /** [name, value] pairs (kept as string[][]: RPC does not carry tuple types). */
    headers: string[][];
    /** Names of headers and query parameters left out because they may carry credentials. */
    dropped: string[];
    body: RecordedBody | null;
  };
  response: { status: number; contentType: string | null; body: RecordedBody | null };
  wallMs: number;
  /** Every outgoing request the invocation made, answered or refused. */
  subrequests: number;
  /** The first MAX_EXCHANGES of them, with their answers. */
  exchanges: RecordedExchange[];
}

// ignoreBOM keeps a leading BOM in the text, so the text encodes back to the bytes that were hashed.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Reads a stream and keeps it when it is at most `maxBytes` (text, or base64 when not UTF-8, plus its SHA-256);
 * a larger body, or one that does not end within `timeoutMs`, is dropped and marked. Never throws: a stream
 * that fails is recorded as what was read.
 */
export async function readBounded(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  timeoutMs: number,
): Promise<RecordedBody | null> {
  if (!stream) return null;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timeout]);
      if (next === "timeout") return { bytes: total, sha256: null, dropped: "timeout" };
      if (next.done) break;
      total += next.value.byteLength;
      if (total > maxBytes) return { bytes: total, sha256: null, dropped: "too_large" };
      chunks.push(next.value);
    }
  } catch {
    // The stream failed (the client went away, the upstream broke): keep what arrived.
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
  const bytes = concatBytes(chunks, total);
  const sha256 = await sha256Hex(bytes);
  try {
    return { bytes: total, sha256, text: decoder.decode(bytes) };
  } catch {
    return { bytes: total, sha256, base64: toBase64(bytes) };
  }
}

/** The bytes a recorded body holds (empty when it was dropped). */
export function bodyBytes(body: RecordedBody | null): Uint8Array | null {
  if (!body || body.sha256 === null) return null;
  if (body.text !== undefined) return new TextEncoder().encode(body.text);
  if (body.base64 !== undefined) return Uint8Array.from(atob(body.base64), (ch) => ch.charCodeAt(0));
  return new Uint8Array(0);
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
