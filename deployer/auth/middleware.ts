// Bearer-token authentication for /v1. Builds the verifier once per configuration, not per request.

import { createMiddleware } from "hono/factory";
import type { JSONWebKeySet } from "jose";
import { ApiError } from "../../platform/errors.ts";
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, type Principal } from "../../platform/tokens.ts";
import type { DeployerEnv } from "../env.ts";
import { controlRateRefusal } from "../rate-limit.ts";
import { createTokenVerifier } from "./verify-token.ts";

export type AuthVariables = { principal: Principal };

let cached: { source: string; verify: ReturnType<typeof createTokenVerifier> } | undefined;

function verifierFor(env: DeployerEnv) {
  const source = `${env.AUTH_JWKS ?? ""}|${env.AUTH_ISSUER ?? ""}|${env.AUTH_AUDIENCE ?? ""}`;
  if (cached?.source !== source) {
    if (!env.AUTH_JWKS) throw new Error("AUTH_JWKS is not configured");
    const jwks = JSON.parse(env.AUTH_JWKS) as JSONWebKeySet;
    cached = {
      source,
      verify: createTokenVerifier({
        jwks,
        issuer: env.AUTH_ISSUER ?? DEFAULT_ISSUER,
        audience: env.AUTH_AUDIENCE ?? DEFAULT_AUDIENCE,
      }),
    };
  }
  return cached.verify;
}

export const requireAuth = createMiddleware<{
  Bindings: DeployerEnv;
  Variables: AuthVariables & { requestId: string };
}>(async function requireAuth(c, next) {
  const match = c.req.header("authorization")?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match) throw new ApiError("token_missing", "Send a token: Authorization: Bearer <token>");
  const principal = await verifierFor(c.env)(match[1]!);
  c.set("principal", principal);
  const refused = controlRateRefusal(principal, c.req.raw, c.get("requestId"));
  if (refused) return refused;
  await next();
});

export function requireAdmin(principal: Principal): void {
  if (principal.role !== "admin") throw new ApiError("forbidden", "This needs an admin token");
}

/** Every /v1/admin route: the admin role, checked once before any of them runs. */
export const adminOnly = createMiddleware<{ Bindings: DeployerEnv; Variables: AuthVariables }>(
  async function adminOnly(c, next) {
    requireAdmin(c.get("principal"));
    await next();
  },
);
