// Local control-plane keys and tokens. A key pair is generated on first start and kept under the state
// folder; its public half becomes the deployer's AUTH_JWKS. Tokens are minted with platform/tokens.ts.

import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { SigningKey } from "../../platform/tokens.ts";

export interface LocalKey {
  signer: SigningKey;
  publicJwk: JWK;
}

export async function newLocalKey(kid: string): Promise<{ key: LocalKey; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: "EdDSA" };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "EdDSA", use: "sig" };
  return { key: { signer: { kid, alg: "EdDSA", key: privateKey }, publicJwk }, privateJwk };
}

/** Loads the key stored at `path`, or creates it (file mode 0600). */
export async function loadOrCreateKey(path: string): Promise<LocalKey> {
  try {
    const privateJwk = JSON.parse(await readFile(path, "utf8")) as JWK & { kid: string };
    const { d: _secret, ...publicFields } = privateJwk;
    return {
      signer: { kid: privateJwk.kid, alg: "EdDSA", key: await importJWK(privateJwk, "EdDSA") },
      publicJwk: { ...publicFields, use: "sig" },
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const { key, privateJwk } = await newLocalKey(`local-${Date.now().toString(36)}`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(privateJwk), { mode: 0o600 });
  await chmod(path, 0o600);
  return key;
}

export function jwksOf(...keys: LocalKey[]): string {
  return JSON.stringify({ keys: keys.map((k) => k.publicJwk) });
}
