// The control plane: request id -> audit -> auth -> routes, with one error handler that turns every failure
// into the platform's error shape. The OpenAPI document is generated from the routes' zod schemas.

import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { ApiError, errorResponse, REQUEST_ID_HEADER } from "../platform/errors.ts";
import { storageUnavailable, StorageUnavailableError } from "../platform/storage-guard.ts";
import { auditLog } from "./audit.ts";
import { internalContextOf } from "./internal-call.ts";
import { adminOnly, requireAuth } from "./auth/middleware.ts";
import type { ControlApp } from "./context.ts";
import type { DeployerEnv, RouteControlRpc } from "./env.ts";
import { renderDocsPage } from "./docs-page.ts";
import { withOpenApi30Nullables } from "./routes/openapi.ts";
import { registerPulseRoutes } from "./routes/pulses.ts";
import { registerVersionRoutes } from "./routes/versions.ts";
import { registerFileRoutes } from "./routes/files.ts";
import { registerSecretRoutes } from "./routes/secrets.ts";
import { registerEgressRoutes } from "./routes/egress.ts";
import { registerAdminRoutes } from "./routes/admin.ts";
import { registerRuntimeRoutes } from "./routes/runtime.ts";
import { registerUsageRoutes } from "./routes/usage.ts";
import { registerLogRoutes } from "./routes/logs.ts";
import { registerPreviewRoutes } from "./routes/preview.ts";
import { registerScheduleRoutes } from "./routes/schedules.ts";
import { registerWhoAmI } from "./routes/whoami.ts";
import { registerAgentPolicyRoutes } from "./routes/agent-policy.ts";
import { registerMcpRoute } from "./mcp/route.ts";
import { registerExportRoutes } from "./routes/export.ts";
import { registerApprovalRoutes } from "./routes/approvals.ts";
import { registerVersionSourceRoute } from "./routes/version-source.ts";
import { registerInvokeRoute } from "./routes/invoke.ts";
import { serveStudio, STUDIO_PREFIX } from "./studio.ts";
import { registerBuildRoutes } from "./routes/builds.ts";
import { registerDomainRoutes } from "./routes/domains.ts";

export const app = new OpenAPIHono<ControlApp>({
  // zod validation failures: 400 with every issue, in the one error shape.
  defaultHook: (result, c) => {
    if (result.success) return;
    const details = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    const code =
      details.some((d) => d.path === "name") && c.req.method === "POST" && c.req.path === "/v1/pulses"
        ? "invalid_pulse_name"
        : "invalid_request";
    return errorResponse(
      code,
      details.map((d) => `${d.path || "body"}: ${d.message}`).join("; "),
      c.get("requestId"),
      undefined,
      details,
    );
  },
});

app.use("*", async function requestId(c, next) {
  // A call the MCP server makes on a tool's behalf keeps the id of the MCP request around it.
  c.set("requestId", internalContextOf(c.req.raw)?.requestId ?? crypto.randomUUID());
  await next();
  c.res.headers.set(REQUEST_ID_HEADER, c.get("requestId"));
});

app.get("/healthz", async (c) => {
  // Healthy means the platform DB answers, not just that this isolate runs.
  try {
    await c.env.DB.prepare("SELECT 1").first();
    return c.json({ ok: true, service: "pulse-control-plane" });
  } catch {
    return storageUnavailable(c.get("requestId"));
  }
});

// Ready means a request to a deployed pulse can be served now: the data plane says so (its database migrated,
// the local supervisor done starting). Until then 503, so a start script or a balancer waits here, not on users.
app.get("/readyz", async (c) => {
  const state = await readinessOf(c.env);
  if (state.ready) return c.json({ ok: true, service: "pulse-control-plane", ready: true });
  return errorResponse("platform_unavailable", `Not ready yet: waiting for ${state.waitingFor}`, c.get("requestId"), {
    "retry-after": "1",
  });
});

/** The data plane's own answer; without a binding to it, whether the platform database answers. */
function readinessOf(env: DeployerEnv): ReturnType<RouteControlRpc["ready"]> {
  const notYet = (waitingFor: string) => () => ({ ready: false as const, waitingFor });
  if (env.ROUTES) return env.ROUTES.ready().catch(notYet("the data plane"));
  return env.DB.prepare("SELECT 1")
    .first()
    .then(() => ({ ready: true as const }), notYet("the platform database"));
}

app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
});
const DOC_CONFIG = {
  openapi: "3.0.3",
  info: {
    title: "Pulse control plane API",
    version: "1",
    description: "Create pulses, upload and deploy versions, roll back, delete. Every mutating call is audited.",
  },
  // Relative: the API is served by whichever origin served this document.
  servers: [{ url: "/", description: "This control plane" }],
};
let openApiDocument: ReturnType<typeof app.getOpenAPIDocument> | undefined;
/** The control API's OpenAPI 3.0 document; generated once per isolate (routes do not change once registered). */
export function controlApiDocument() {
  return (openApiDocument ??= withOpenApi30Nullables(app.getOpenAPIDocument(DOC_CONFIG)));
}
app.get("/v1/openapi.json", (c) => c.json(controlApiDocument()));
app.get("/v1/docs", (c) => c.html(renderDocsPage(controlApiDocument() as never)));

// Pulse Studio, the web page (deployer/studio.ts): public files, the API calls it makes carry the token.
app.get("/studio", (c) => c.redirect(STUDIO_PREFIX, 301));
app.get(`${STUDIO_PREFIX}*`, serveStudio);

app.use("/v1/*", auditLog);
app.use("/v1/pulses/*", requireAuth);
app.use("/v1/pulses", requireAuth);
app.use("/v1/admin/*", requireAuth);
app.use("/v1/whoami", requireAuth);
app.use("/v1/mcp", requireAuth);
app.use("/v1/usage", requireAuth);
app.use("/v1/admin/*", adminOnly);
registerPulseRoutes(app);
registerVersionRoutes(app);
registerFileRoutes(app);
registerSecretRoutes(app, "secrets");
registerSecretRoutes(app, "connections");
registerEgressRoutes(app);
registerAdminRoutes(app);
registerRuntimeRoutes(app);
registerUsageRoutes(app);
registerLogRoutes(app);
registerPreviewRoutes(app);
registerScheduleRoutes(app);
registerWhoAmI(app);
registerAgentPolicyRoutes(app);
registerMcpRoute(app);
registerExportRoutes(app);
registerApprovalRoutes(app);
registerVersionSourceRoute(app);
registerInvokeRoute(app);
registerBuildRoutes(app);
registerDomainRoutes(app);

app.notFound((c) => errorResponse("not_found", "No such control-plane route", c.get("requestId")));

app.onError((error, c) => {
  const requestId = c.get("requestId");
  if (error instanceof ApiError) return errorResponse(error.code, error.message, requestId, undefined, error.details);
  if (error instanceof StorageUnavailableError) {
    console.error(`[${requestId}] storage unavailable:`, error.cause);
    return storageUnavailable(requestId);
  }
  if (error instanceof HTTPException && error.status < 500) {
    // hono's own 4xx (malformed JSON body and the like): its message is safe and useful.
    return errorResponse("invalid_request", error.message || "Invalid request", requestId);
  }
  console.error(`[${requestId}] control plane error:`, error);
  return errorResponse("internal_error", "The control plane failed to handle this request", requestId);
});
