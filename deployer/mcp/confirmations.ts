// Confirmation tokens for destructive tools, when the tenant's agent policy asks for them: the first call
// answers confirmation_required with a token bound to (tenant, subject, tool, arguments) for a few minutes;
// the same call repeated with that token runs, once. Only the token's hash is stored, and consuming it is one
// DELETE ... RETURNING, so a token never serves twice (a repeated rollback would otherwise undo itself).

import { contentHash as sha256 } from "../../platform/bundle-store.ts";
import type { Principal } from "../../platform/tokens.ts";
import { randomHex } from "./sessions.ts";

export const CONFIRMATION_TTL_MS = 5 * 60 * 1000; /* 5 min: long enough to ask a human, short enough to go stale */

type Developer = Extract<Principal, { role: "developer" }>;

export async function issueConfirmation(
  db: D1Database,
  who: Developer,
  tool: string,
  args: Record<string, unknown>,
): Promise<{ token: string; expiresAt: string }> {
  const token = `pcf_${randomHex(24)}`;
  const now = Date.now();
  const expiresAt = now + CONFIRMATION_TTL_MS;
  await db.batch([
    db.prepare(`DELETE FROM mcp_confirmations WHERE expires_at < ?1`).bind(now),
    db
      .prepare(
        `INSERT INTO mcp_confirmations (token_hash, tenant_id, subject, tool, args_hash, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)`,
      )
      .bind(await sha256(token), who.tenantId, who.sub, tool, await argsHash(args), expiresAt),
  ]);
  return { token, expiresAt: new Date(expiresAt).toISOString() };
}

/** True once for a token issued for exactly this call; false if unknown, expired, used, or for another call. */
export async function consumeConfirmation(
  db: D1Database,
  who: Developer,
  tool: string,
  args: Record<string, unknown>,
  token: string,
): Promise<boolean> {
  const row = await db
    .prepare(
      `DELETE FROM mcp_confirmations WHERE token_hash = ?1 AND tenant_id = ?2 AND subject = ?3 AND tool = ?4 AND args_hash = ?5 AND expires_at > ?6 RETURNING token_hash`,
    )
    .bind(await sha256(token), who.tenantId, who.sub, tool, await argsHash(args), Date.now())
    .first();
  return row !== null;
}

/** The arguments without the token itself, keys sorted at every level: the same call hashes the same. */
function argsHash(args: Record<string, unknown>): Promise<string> {
  const { confirmationToken: _token, ...rest } = args;
  return sha256(JSON.stringify(canonical(rest)));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
