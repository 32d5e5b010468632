// Limits on a pulse's secrets and OAuth connections, checked when one is set (control plane) so the data
// plane never meets a set it cannot afford: every response of a pulse with secrets is scanned for every
// spelling of every value (outbound/secret-matcher.ts), and so is every outgoing request.

import { spellingBytes } from "./secret-spellings.ts";

/** Secrets and connections together, per pulse: 20 covers an integration-heavy pulse; the matcher grows with it. */
export const MAX_SECRETS_PER_PULSE = 20;
/** One value, in UTF-8 bytes: API keys and OAuth tokens (JWTs included) fit with room to spare. */
export const MAX_SECRET_VALUE_BYTES = 8192; /* 8 KiB */
/**
 * All spellings of one value (raw, JSON/URL/HTML-escaped up to 3 deep, base64), in UTF-8 bytes: what one value
 * adds to the pulse's matcher (about one node per byte). A token of URL-safe characters spells to about 3x its
 * size; a value full of quotes and slashes can spell to 80x, and is refused here rather than slowing every answer.
 */
/* 32 KiB: an 8 KiB URL-safe token fits (~30 KiB spelled); 20 secrets stay under ~650 K nodes (~14 MB) */
export const MAX_SECRET_SPELLING_BYTES = 32 * 1024;

/** Why a value cannot be stored, or null. */
export function secretValueProblem(value: string): string | null {
  const bytes = new TextEncoder().encode(value).byteLength;
  const max = MAX_SECRET_VALUE_BYTES;
  if (bytes > max) return `A value is limited to ${max} UTF-8 bytes, not ${bytes}`;
  const spelled = spellingBytes(value);
  if (spelled > MAX_SECRET_SPELLING_BYTES) {
    const limit = MAX_SECRET_SPELLING_BYTES;
    return (
      `This value's escaped spellings (JSON, URL, HTML, base64) take ${spelled} bytes, over the ${limit} ` +
      "that redaction can scan for; values of mostly URL-safe characters fit"
    );
  }
  return null;
}
