// Verifies a control-plane token with jose, pinned the way the platform's rules require: only EdDSA/ES256,
// `kid` required and only selecting among configured keys (createLocalJWKSet never follows jku/x5u),
// `exp` and `sub` required, issuer, audience and `typ` checked, 5 s of clock tolerance. Every failure maps to
// its own 401 code.

import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet } from "jose";
import { ApiError } from "../../platform/errors.ts";
import { principalClaims, TOKEN_ALGORITHMS, TOKEN_TYPE, type Principal } from "../../platform/tokens.ts";

export interface VerifierConfig {
  jwks: JSONWebKeySet;
  issuer: string;
  audience: string;
}

const CLOCK_TOLERANCE_SECONDS = 5;

export function createTokenVerifier(config: VerifierConfig) {
  if (!config.issuer || !config.audience) throw new Error("token verifier needs an issuer and an audience");
  if (!Array.isArray(config.jwks.keys) || config.jwks.keys.length === 0)
    throw new Error("token verifier needs at least one key");
  for (const key of config.jwks.keys) {
    if (!key.kid) throw new Error("every configured token key needs a kid");
    if ("d" in key) throw new Error("configured token keys must be public keys");
  }
  const keySet = createLocalJWKSet(config.jwks);

  return async function verifyToken(token: string): Promise<Principal> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new ApiError("token_invalid", "The token is not a well-formed JWT");
    }
    if (!TOKEN_ALGORITHMS.includes(header.alg as (typeof TOKEN_ALGORITHMS)[number])) {
      throw new ApiError(
        "token_algorithm_not_allowed",
        `Token algorithm "${String(header.alg)}" is not accepted (use ${TOKEN_ALGORITHMS.join(" or ")})`,
      );
    }
    if (typeof header.kid !== "string" || header.kid === "")
      throw new ApiError("token_unknown_key", "The token has no kid");
    try {
      const { payload } = await jwtVerify(token, keySet, {
        algorithms: [...TOKEN_ALGORITHMS],
        issuer: config.issuer,
        audience: config.audience,
        typ: TOKEN_TYPE,
        requiredClaims: ["exp", "sub"],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      const claims = principalClaims.safeParse(payload);
      if (!claims.success)
        throw new ApiError("token_claims_invalid", "The token's role, subject or tenant claims are invalid");
      const c = claims.data;
      return c.role === "admin" ? { role: "admin", sub: c.sub } : { role: "developer", sub: c.sub, tenantId: c.tenant };
    } catch (error) {
      throw toAuthError(error);
    }
  };
}

function toAuthError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof errors.JWTExpired) return new ApiError("token_expired", "The token has expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf" || error.claim === "iat")
      return new ApiError("token_not_yet_valid", "The token is not valid yet");
    return new ApiError("token_claims_invalid", `The token's "${error.claim}" claim is missing or not accepted`);
  }
  if (error instanceof errors.JWKSNoMatchingKey)
    return new ApiError("token_unknown_key", "The token's kid names no configured key");
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new ApiError("token_algorithm_not_allowed", "The token's algorithm is not accepted");
  // Bad signature, malformed JWS/JWT, unsupported key: all the same to the caller.
  return new ApiError("token_invalid", "The token is invalid");
}
