// The control plane Worker. For now it answers health checks; the deploy API is built on this app.

import { Hono } from "hono";
import { errorResponse } from "../platform/errors.ts";

export interface DeployerEnv {
  DB: D1Database;
  BUNDLES: R2Bucket;
}

const app = new Hono<{ Bindings: DeployerEnv }>();

app.get("/healthz", async (c) => {
  // Healthy means the platform DB answers, not just that this isolate runs.
  try {
    await c.env.DB.prepare("SELECT 1").first();
    return c.json({ ok: true, service: "pulse-control-plane" });
  } catch {
    return errorResponse("platform_unavailable", "The platform database does not answer");
  }
});

app.notFound(() => errorResponse("not_found", "No such control-plane route"));
app.onError((error) => {
  console.error("control plane error:", error);
  return errorResponse("internal_error", "The control plane failed to handle this request");
});

export default app;
