// A pulse's secrets and connections as the outbound worker needs them: reference -> value and where it may
// go. Decrypted on demand and cached per isolate for a short time (purged by the control plane on change).

import { openSecret, loadKeyring, type Keyring } from "../platform/secret-crypto.ts";
import { importRefKey, secretRef, type SecretKind } from "../platform/secret-refs.ts";
import { TtlCache } from "../platform/ttl-cache.ts";
import type { OutboundEnv } from "./env.ts";

export interface ResolvedSecret {
  kind: SecretKind;
  name: string;
  ref: string;
  value: string;
  hosts: string[];
  allowInUrl: boolean;
  allowInBody: boolean;
  /** env.crypto may compute with it (HMAC, HS256 JWT) for the pulse, which still never sees it. */
  allowSigning: boolean;
}

interface SecretRow {
  kind: SecretKind;
  name: string;
  key_id: string;
  ciphertext: string;
  allowed_hosts: string;
  allow_in_url: number;
  allow_in_body: number;
  allow_signing: number;
}

const secrets = new TtlCache<ResolvedSecret[]>(5_000);
let keys: { source: string; ring: Promise<Keyring>; refKey: Promise<CryptoKey> } | undefined;

function keyMaterial(env: OutboundEnv) {
  const source = `${env.SECRETS_KEYRING ?? ""}|${env.SECRET_REF_KEY ?? ""}`;
  if (keys?.source !== source)
    keys = { source, ring: loadKeyring(env.SECRETS_KEYRING), refKey: importRefKey(env.SECRET_REF_KEY) };
  return keys;
}

/** The reference user code sees for one of its secrets. */
export async function referenceFor(env: OutboundEnv, pulseId: string, kind: SecretKind, name: string): Promise<string> {
  return secretRef(await keyMaterial(env).refKey, pulseId, kind, name);
}

/** env.secrets and env.connections of one pulse: name -> opaque reference. */
export type ReferenceMaps = { secrets: Record<string, string>; connections: Record<string, string> };

/** The reference maps of a pulse from its "kind:NAME" entries (see PulseTarget.secretNames). */
export async function referenceMaps(
  env: OutboundEnv,
  pulseId: string,
  secretNames: readonly string[],
): Promise<ReferenceMaps> {
  const maps: ReferenceMaps = { secrets: {}, connections: {} };
  for (const entry of secretNames) {
    const [kind, name] = entry.split(":") as [SecretKind, string];
    const ref = await referenceFor(env, pulseId, kind, name);
    if (kind === "secret") maps.secrets[name] = ref;
    else maps.connections[name] = ref;
  }
  return maps;
}

export function loadSecrets(env: OutboundEnv, pulseId: string, ttlMs: number): Promise<ResolvedSecret[]> {
  return secrets.get(pulseId, ttlMs, async () => {
    const { results } = await env.DB.prepare(
      `SELECT kind, name, key_id, ciphertext, allowed_hosts, allow_in_url, allow_in_body, allow_signing FROM secrets WHERE pulse_id = ?1`,
    )
      .bind(pulseId)
      .all<SecretRow>();
    if (results.length === 0) return [];
    const { ring, refKey } = keyMaterial(env);
    return Promise.all(
      results.map(async (row) => ({
        kind: row.kind,
        name: row.name,
        ref: await secretRef(await refKey, pulseId, row.kind, row.name),
        value: await openSecret(
          await ring,
          { pulseId, kind: row.kind, name: row.name },
          { keyId: row.key_id, ciphertext: row.ciphertext },
        ),
        hosts: JSON.parse(row.allowed_hosts) as string[],
        allowInUrl: row.allow_in_url === 1,
        allowInBody: row.allow_in_body === 1,
        allowSigning: row.allow_signing === 1,
      })),
    );
  });
}

export function purgeSecrets(pulseId?: string): void {
  if (pulseId === undefined) secrets.clear();
  else secrets.delete(pulseId);
}
