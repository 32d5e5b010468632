// The HMAC-SHA256 a test expects from env.crypto, computed independently with WebCrypto (the same in Node and
// workerd), so the platform's answer is compared with a reference rather than with itself.

export async function hmacSha256(secret: string, data: string): Promise<Uint8Array> {
  const encode = (s: string) => new TextEncoder().encode(s);
  const key = await crypto.subtle.importKey("raw", encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encode(data)));
}

export const toHex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
export const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
