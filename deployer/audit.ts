// Audit log: every mutating call under /v1, answered or refused, lands in the platform D1 with who, what,
// when and the outcome. Runs outside authentication so refused tokens are recorded too. MCP tool calls are
// written by the MCP server itself (one row per tool call, with the client's name), through writeAudit.

import { createMiddleware } from "hono/factory";
import type { ControlApp } from "./context.ts";
import { internalContextOf } from "./internal-call.ts";
import type { Principal } from "../platform/tokens.ts";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Its tool calls are audited one by one; the HTTP request around them only when it was refused. */
const AUDITED_PER_TOOL_CALL = "/v1/mcp";

export interface AuditRow {
  principal: Principal | undefined;
  /** For the platform's own actions (no token): who acted, and the tenant the action was about. */
  actor?: string;
  tenantId?: string;
  action: string;
  status: number;
  outcome: string;
  requestId: string;
  client: string | null;
}

export async function writeAudit(db: D1Database, row: AuditRow): Promise<void> {
  const { principal } = row;
  try {
    await db
      .prepare(
        `INSERT INTO audit_log (at, actor, role, tenant_id, action, status, outcome, request_id, client) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
      )
      .bind(
        Date.now(),
        principal?.sub ?? row.actor ?? null,
        principal?.role ?? null,
        principal?.role === "developer" ? principal.tenantId : (row.tenantId ?? null),
        row.action.slice(0, 300),
        row.status,
        row.outcome,
        row.requestId,
        row.client?.slice(0, 200) ?? null,
      )
      .run();
  } catch (error) {
    // The call already happened; failing it now would lie about its outcome. Loud in the logs instead.
    console.error("audit log write failed:", error);
  }
}

export const auditLog = createMiddleware<ControlApp>(async function auditLog(c, next) {
  await next();
  if (!MUTATING.has(c.req.method)) return;
  if (c.req.path === AUDITED_PER_TOOL_CALL && c.res.status < 400) return;
  let outcome = "ok";
  if (c.res.status >= 400) {
    try {
      outcome = ((await c.res.clone().json()) as { error?: { code?: string } }).error?.code ?? `http_${c.res.status}`;
    } catch {
      outcome = `http_${c.res.status}`;
    }
  }
  await writeAudit(c.env.DB, {
    principal: c.get("principal"),
    action: `${c.req.method} ${c.req.path}`,
    status: c.res.status,
    outcome,
    requestId: c.get("requestId"),
    client: internalContextOf(c.req.raw)?.client ?? null,
  });
});
