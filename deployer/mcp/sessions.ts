// MCP sessions. The transport runs stateless (a fresh server per HTTP request, any isolate can answer), so
// what must outlive `initialize` (the client's name, for the audit log) is kept in D1 under a random id the
// client sends back in Mcp-Session-Id. A session belongs to the token's tenant and subject: anyone else's
// token finds nothing.

import type { Principal } from "../../platform/tokens.ts";

export const SESSION_TTL_MS = 24 * 60 * 60 * 1000; /* a day: agents reconnect (initialize) after that */
const MAX_CLIENT_FIELD = 100; /* characters kept of clientInfo.name / version */

type Developer = Extract<Principal, { role: "developer" }>;

export interface McpSession {
  id: string;
  clientName: string;
  clientVersion: string | null;
}

/** How the audit log names the client: "mcp:<name>/<version>". */
export function clientLabel(session: Pick<McpSession, "clientName" | "clientVersion">): string {
  return `mcp:${session.clientName}${session.clientVersion ? `/${session.clientVersion}` : ""}`;
}

export async function openSession(
  db: D1Database,
  who: Developer,
  clientInfo: { name?: unknown; version?: unknown },
): Promise<McpSession> {
  const id = randomHex(32);
  const clientName = clean(clientInfo.name) ?? "unknown";
  const clientVersion = clean(clientInfo.version);
  const now = Date.now();
  await db.batch([
    db.prepare(`DELETE FROM mcp_sessions WHERE expires_at < ?1`).bind(now),
    db
      .prepare(
        `INSERT INTO mcp_sessions (id, tenant_id, subject, client_name, client_version, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
      )
      .bind(id, who.tenantId, who.sub, clientName, clientVersion, now, now + SESSION_TTL_MS),
  ]);
  return { id, clientName, clientVersion };
}

export async function findSession(db: D1Database, who: Developer, id: string): Promise<McpSession | null> {
  const row = await db
    .prepare(
      `SELECT id, client_name, client_version FROM mcp_sessions WHERE id = ?1 AND tenant_id = ?2 AND subject = ?3 AND expires_at > ?4`,
    )
    .bind(id, who.tenantId, who.sub, Date.now())
    .first<{ id: string; client_name: string; client_version: string | null }>();
  return row ? { id: row.id, clientName: row.client_name, clientVersion: row.client_version } : null;
}

export async function closeSession(db: D1Database, who: Developer, id: string): Promise<boolean> {
  const result = await db
    .prepare(`DELETE FROM mcp_sessions WHERE id = ?1 AND tenant_id = ?2 AND subject = ?3`)
    .bind(id, who.tenantId, who.sub)
    .run();
  return result.meta.changes > 0;
}

/** `bytes` random bytes as hex: session ids, confirmation tokens. */
export function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Printable, trimmed and bounded: it ends up in the audit log. */
function clean(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const printable = value
    .replace(/[^\x20-\x7e]/g, "")
    .trim()
    .slice(0, MAX_CLIENT_FIELD);
  return printable || null;
}
