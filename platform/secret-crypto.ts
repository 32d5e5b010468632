// Secret values at rest: AES-256-GCM with a platform keyring from configuration. Each ciphertext records the
// id of the key that sealed it, so keys rotate: new writes use the primary key, old rows still open with
// theirs until re-sealed. The additional data binds a ciphertext to its pulse, kind and name, so a row copied
// onto another pulse does not open.

import { z } from "zod";

const KeyringSchema = z.object({
  primary: z.string().min(1),
  keys: z.record(z.string().min(1), z.string().min(1)),
});

export interface Keyring {
  primary: string;
  keys: Map<string, CryptoKey>;
}

export interface Sealed {
  keyId: string;
  /** base64(iv || ciphertext+tag) */
  ciphertext: string;
}

const b64 = {
  encode: (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)),
  decode: (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0)),
};

/** `{"primary":"k2","keys":{"k1":"<base64 32 bytes>","k2":"..."}}` -> a keyring. Fails early and loudly. */
export async function loadKeyring(json: string | undefined): Promise<Keyring> {
  if (!json) throw new Error("SECRETS_KEYRING is not configured");
  const parsed = KeyringSchema.parse(JSON.parse(json));
  if (!(parsed.primary in parsed.keys)) throw new Error("SECRETS_KEYRING: the primary key id is not among the keys");
  const keys = new Map<string, CryptoKey>();
  for (const [id, material] of Object.entries(parsed.keys)) {
    const raw = b64.decode(material);
    if (raw.byteLength !== 32) throw new Error(`SECRETS_KEYRING: key ${id} must be 32 bytes (base64)`);
    keys.set(id, await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
  }
  return { primary: parsed.primary, keys };
}

function aad(pulseId: string, kind: string, name: string): Uint8Array {
  return new TextEncoder().encode(`pulse-secret:v1:${pulseId}:${kind}:${name}`);
}

export async function sealSecret(
  ring: Keyring,
  owner: { pulseId: string; kind: string; name: string },
  value: string,
): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = ring.keys.get(ring.primary)!;
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: aad(owner.pulseId, owner.kind, owner.name) },
      key,
      new TextEncoder().encode(value),
    ),
  );
  const out = new Uint8Array(iv.byteLength + sealed.byteLength);
  out.set(iv);
  out.set(sealed, iv.byteLength);
  return { keyId: ring.primary, ciphertext: b64.encode(out) };
}

export async function openSecret(
  ring: Keyring,
  owner: { pulseId: string; kind: string; name: string },
  sealed: Sealed,
): Promise<string> {
  const key = ring.keys.get(sealed.keyId);
  if (!key) throw new Error(`secret sealed with key ${sealed.keyId}, which is not in the keyring`);
  const bytes = b64.decode(sealed.ciphertext);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: aad(owner.pulseId, owner.kind, owner.name) },
    key,
    bytes.slice(12),
  );
  return new TextDecoder().decode(plain);
}

/** A fresh 32-byte key, base64: for `npm start` and documentation. */
export function newKeyMaterial(): string {
  return b64.encode(crypto.getRandomValues(new Uint8Array(32)));
}
