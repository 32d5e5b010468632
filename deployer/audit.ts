// Audit log: every mutating call under /v1, answered or refused, lands in the platform D1 with who, what,
// when and the outcome. Runs outside authentication so refused tokens are recorded too.

import { createMiddleware } from "hono/factory";
import type { ControlApp } from "./context.ts";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const auditLog = createMiddleware<ControlApp>(async function auditLog(c, next) {
  await next();
  if (!MUTATING.has(c.req.method)) return;
  const principal = c.get("principal");
  let outcome = "ok";
  if (c.res.status >= 400) {
    try {
      outcome = ((await c.res.clone().json()) as { error?: { code?: string } }).error?.code ?? `http_${c.res.status}`;
    } catch {
      outcome = `http_${c.res.status}`;
    }
  }
  try {
    await c.env.DB.prepare(
      `INSERT INTO audit_log (at, actor, role, tenant_id, action, status, outcome, request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
    )
      .bind(
        Date.now(),
        principal?.sub ?? null,
        principal?.role ?? null,
        principal?.role === "developer" ? principal.tenantId : null,
        `${c.req.method} ${c.req.path}`.slice(0, 300),
        c.res.status,
        outcome,
        c.get("requestId"),
      )
      .run();
  } catch (error) {
    // The call already happened; failing it now would lie about its outcome. Loud in the logs instead.
    console.error("audit log write failed:", error);
  }
});
