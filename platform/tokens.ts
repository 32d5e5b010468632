// Control-plane tokens: JWTs signed with EdDSA (Ed25519) or ES256, verified against configured public keys
// selected by `kid`. This module mints them (local start, tests, and the admin API later) and defines the
// claims both sides agree on.

import { SignJWT, type CryptoKey, type JWK, type KeyObject } from "jose";
import { z } from "zod";

/** The only algorithms the platform signs or accepts: asymmetric, so verifiers hold no signing secret. */
export const TOKEN_ALGORITHMS = ["EdDSA", "ES256"] as const;
export const TOKEN_TYPE = "JWT";
export const DEFAULT_ISSUER = "pulse-local";
export const DEFAULT_AUDIENCE = "pulse-control-plane";

export const principalClaims = z.discriminatedUnion("role", [
  z.object({ role: z.literal("admin"), sub: z.string().min(1).max(200) }),
  z.object({
    role: z.literal("developer"),
    sub: z.string().min(1).max(200),
    tenant: z.string().regex(/^[a-z0-9]{1,40}$/),
  }),
]);

export type Principal = { role: "admin"; sub: string } | { role: "developer"; sub: string; tenantId: string };

export interface SigningKey {
  kid: string;
  alg: (typeof TOKEN_ALGORITHMS)[number];
  key: CryptoKey | KeyObject | JWK | Uint8Array;
}

export interface MintOptions {
  issuer?: string;
  audience?: string;
  /** A jose duration ("1h", "30d") or an absolute UNIX time in seconds. */
  expiresIn?: string | number;
}

export async function mintToken(signer: SigningKey, who: Principal, options: MintOptions = {}): Promise<string> {
  const claims = who.role === "admin" ? { role: "admin" } : { role: "developer", tenant: who.tenantId };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: TOKEN_TYPE })
    .setSubject(who.sub)
    .setIssuer(options.issuer ?? DEFAULT_ISSUER)
    .setAudience(options.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "1h")
    .sign(signer.key as CryptoKey);
}
