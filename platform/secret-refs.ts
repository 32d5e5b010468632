// What user code holds instead of a secret: an opaque reference. It is an HMAC of (pulse, kind, name) under a
// platform key, so it is unguessable, stable across value changes, and means nothing to any other pulse (the
// outbound worker only matches references computed for the calling pulse).

export const REF_PATTERN = /pulseref_[a-z2-7]{32}/g;
export type SecretKind = "secret" | "connection";

export async function importRefKey(material: string | undefined): Promise<CryptoKey> {
  if (!material) throw new Error("SECRET_REF_KEY is not configured");
  const raw = Uint8Array.from(atob(material), (c) => c.charCodeAt(0));
  if (raw.byteLength < 32) throw new Error("SECRET_REF_KEY must be at least 32 bytes (base64)");
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

export async function secretRef(key: CryptoKey, pulseId: string, kind: SecretKind, name: string): Promise<string> {
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`v1:${pulseId}:${kind}:${name}`)),
  );
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let out = "pulseref_";
  // 32 base32 characters = 160 bits of the MAC.
  let bits = 0;
  let value = 0;
  for (const byte of mac) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 9 + 32) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === 9 + 32) break;
  }
  return out;
}
