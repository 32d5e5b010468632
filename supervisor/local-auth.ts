// Local control-plane keys and tokens. A key pair is generated on first start and kept under the state
// folder; its public half becomes the deployer's AUTH_JWKS. Tokens are minted with platform/tokens.ts.

import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { SigningKey } from "../platform/tokens.ts";
import { newKeyMaterial } from "../platform/secret-crypto.ts";

export interface LocalKey {
  signer: SigningKey;
  publicJwk: JWK;
  /** For the control plane's AUTH_SIGNING_JWK (admins issue developer tokens with it). */
  privateJwk: JWK;
}

export async function newLocalKey(kid: string): Promise<{ key: LocalKey; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: "EdDSA" };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "EdDSA", use: "sig" };
  return { key: { signer: { kid, alg: "EdDSA", key: privateKey }, publicJwk, privateJwk }, privateJwk };
}

/** Loads the key stored at `path`, or creates it (file mode 0600). */
export async function loadOrCreateKey(path: string): Promise<LocalKey> {
  try {
    const privateJwk = JSON.parse(await readFile(path, "utf8")) as JWK & { kid: string };
    const { d: _secret, ...publicFields } = privateJwk;
    return {
      signer: { kid: privateJwk.kid, alg: "EdDSA", key: await importJWK(privateJwk, "EdDSA") },
      publicJwk: { ...publicFields, use: "sig" },
      privateJwk,
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

/** The secrets keyring and reference key of a local platform: created once, kept under the state folder. */
export interface SecretKeys {
  SECRETS_KEYRING: string;
  SECRET_REF_KEY: string;
}

export function newSecretKeys(): SecretKeys {
  return {
    SECRETS_KEYRING: JSON.stringify({ primary: "k1", keys: { k1: newKeyMaterial() } }),
    SECRET_REF_KEY: newKeyMaterial(),
  };
}

export async function loadOrCreateSecretKeys(path: string): Promise<SecretKeys> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as SecretKeys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const keys = newSecretKeys();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(keys), { mode: 0o600 });
  await chmod(path, 0o600);
  return keys;
}
