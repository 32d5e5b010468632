// What env.crypto computes with a secret's value (an HMAC, a check of one) and the rules of each call, JWTs
// included. No I/O and no npm import: the platform's entrypoint that holds the secrets
// (dispatcher/bindings/secret-crypto.ts) and the runtime of an exported project (runtime-shim/standalone.ts, which
// ships as source without node_modules) call the same functions. Every failure is a
// TypeError or RangeError with a message the pulse can read and that never contains the value.

/** The largest input one call may MAC or sign: webhook bodies (GitHub, Stripe, Slack) are far below it, and the
 * work runs in the platform's thread, shared with other pulses. 1 MiB. */
export const MAX_SIGNING_INPUT_BYTES = 1024 * 1024;
/** Calls of one pulse request: a webhook check is one or two; the cap bounds the platform's work per request. */
export const MAX_SIGNING_CALLS_PER_REQUEST = 100;
/** A signature to verify is at most a SHA-512 MAC in hex (128 characters); longer is not a signature. */
const MAX_SIGNATURE_CHARS = 256;
/** Claims of a JWT, as JSON: tokens travel in headers, and proxies refuse headers beyond a few KiB. 4 KiB. */
export const MAX_JWT_CLAIMS_BYTES = 4096;
/** The longest JWT lifetime: 24 hours. A token the pulse mints is a bearer credential; short-lived on purpose. */
export const MAX_JWT_LIFETIME_SECONDS = 24 * 60 * 60;

export const HMAC_HASHES = ["SHA-256", "SHA-384", "SHA-512"] as const;
export const ENCODINGS = ["hex", "base64", "base64url"] as const;
export type HmacHash = (typeof HMAC_HASHES)[number];
export type SignatureEncoding = (typeof ENCODINGS)[number];
export interface HmacOptions {
  hash: HmacHash;
  encoding: SignatureEncoding;
}

/** The bytes to MAC: a string (UTF-8) or binary data, at most MAX_SIGNING_INPUT_BYTES. */
export function signingInput(data: unknown, what = "data"): Uint8Array {
  let bytes: Uint8Array;
  if (typeof data === "string") bytes = new TextEncoder().encode(data);
  else if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else throw new TypeError(`${what} must be a string, an ArrayBuffer or a typed array`);
  if (bytes.byteLength > MAX_SIGNING_INPUT_BYTES) {
    throw new RangeError(
      `${what} is ${bytes.byteLength} bytes; env.crypto takes at most ${MAX_SIGNING_INPUT_BYTES} bytes`,
    );
  }
  return bytes;
}

/** Both options are required: a default hash or encoding is a silent mismatch with the provider's scheme. */
export function hmacOptions(options: unknown): HmacOptions {
  const { hash, encoding } = (options ?? {}) as { hash?: unknown; encoding?: unknown };
  if (!HMAC_HASHES.includes(hash as HmacHash))
    throw new TypeError(`options.hash must be one of ${HMAC_HASHES.join(", ")}`);
  if (!ENCODINGS.includes(encoding as SignatureEncoding))
    throw new TypeError(`options.encoding must be one of ${ENCODINGS.join(", ")}`);
  return { hash: hash as HmacHash, encoding: encoding as SignatureEncoding };
}

/** A signature to check, decoded; null when it is not valid text in the encoding (it cannot match then). */
export function decodeSignature(signature: unknown, encoding: SignatureEncoding): Uint8Array | null {
  if (typeof signature !== "string") throw new TypeError("signature must be a string");
  if (signature.length > MAX_SIGNATURE_CHARS) return null;
  if (encoding === "hex") {
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(signature)) return null;
    return Uint8Array.from(signature.match(/../g) ?? [], (pair) => parseInt(pair, 16));
  }
  const standard = encoding === "base64url" ? signature.replaceAll("-", "+").replaceAll("_", "/") : signature;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(standard)) return null;
  try {
    return Uint8Array.from(atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

export function encodeSignature(bytes: Uint8Array, encoding: SignatureEncoding): string {
  if (encoding === "hex") return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  const base64 = btoa(binary);
  return encoding === "base64" ? base64 : base64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Equal in time that depends only on the lengths, never on where the first difference is. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export interface JwtRequest {
  claims: Record<string, unknown>;
  expiresIn: number;
}

/**
 * The claims and lifetime of a JWT to sign. `expiresIn` (seconds) is required: a token without an expiry is a
 * credential forever. `exp` and `iat` are set by the platform, so the claims may not carry them.
 */
export function jwtRequest(claims: unknown, options: unknown): JwtRequest {
  if (claims === null || typeof claims !== "object" || Array.isArray(claims))
    throw new TypeError("claims must be an object");
  const json = JSON.stringify(claims);
  if (new TextEncoder().encode(json).byteLength > MAX_JWT_CLAIMS_BYTES)
    throw new RangeError(`claims must be at most ${MAX_JWT_CLAIMS_BYTES} bytes of JSON`);
  const plain = JSON.parse(json) as Record<string, unknown>;
  for (const reserved of ["exp", "iat"]) {
    if (Object.hasOwn(plain, reserved))
      throw new TypeError(`claims.${reserved} is set by the platform: use options.expiresIn`);
  }
  const { expiresIn } = (options ?? {}) as { expiresIn?: unknown };
  if (!Number.isInteger(expiresIn) || (expiresIn as number) < 1 || (expiresIn as number) > MAX_JWT_LIFETIME_SECONDS) {
    throw new RangeError(`options.expiresIn must be a whole number of seconds from 1 to ${MAX_JWT_LIFETIME_SECONDS}`);
  }
  return { claims: plain, expiresIn: expiresIn as number };
}

/** The HMAC of `data` under `value`, encoded as asked. */
export async function hmacOf(value: string, data: unknown, options: unknown): Promise<string> {
  const { hash, encoding } = hmacOptions(options);
  return encodeSignature(await macBytes(value, signingInput(data), hash), encoding);
}

/** Whether `signature` is the HMAC of `data` under `value`; compared in constant time. */
export async function verifyHmacOf(
  value: string,
  data: unknown,
  signature: unknown,
  options: unknown,
): Promise<boolean> {
  const { hash, encoding } = hmacOptions(options);
  const bytes = signingInput(data);
  const given = decodeSignature(signature, encoding);
  const expected = await macBytes(value, bytes, hash);
  return given !== null && constantTimeEqual(expected, given);
}

async function macBytes(value: string, data: Uint8Array, hash: HmacHash): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(value), { name: "HMAC", hash }, false, [
    "sign",
  ]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}
