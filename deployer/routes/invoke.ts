// Invoke a pulse from the control plane (the studio's Invoke panel): the browser page cannot call the pulse's
// own origin (another origin, and the page's CSP allows only its own), so the control plane checks ownership
// and hands the request to the data plane, which treats it like any end user's request.

import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { InvokeResultSchema, InvokeSchema, NameParamSchema } from "../../platform/api-schemas.ts";
import { ApiError } from "../../platform/errors.ts";
import type { InvokeRequest } from "../../platform/invoke.ts";
import type { ControlApp } from "../context.ts";
import { findPulse } from "../store.ts";
import { BEARER, errorResponses, jsonBody, jsonResponse } from "./openapi.ts";

const invokeRoute = createRoute({
  method: "post",
  operationId: "invokePulse",
  path: "/v1/pulses/{name}/invoke",
  summary: "Call the pulse as an end user would, and return its answer",
  description:
    "The request enters the data plane at the pulse's host: plan limits, usage and logs apply as for any request.",
  security: BEARER,
  request: { params: NameParamSchema, body: jsonBody(InvokeSchema) },
  responses: {
    200: jsonResponse(InvokeResultSchema, "The pulse's answer (whatever its status)"),
    ...errorResponses(400, 401, 404),
  },
});

export function registerInvokeRoute(app: OpenAPIHono<ControlApp>): void {
  app.openapi(invokeRoute, async (c) => {
    const pulse = await findPulse(c.env.DB, c.get("principal"), c.req.valid("param").name);
    if (!c.env.ROUTES)
      throw new ApiError("platform_unavailable", "The data plane is not reachable from this control plane");
    const call = toInvokeRequest(c.req.valid("json"));
    const started = Date.now();
    const answer = await c.env.ROUTES.invoke(pulse.name, call);
    return c.json({ ...answer, ms: Date.now() - started }, 200);
  });
}

type QueryValue = string | number | boolean;

/** Methods with a body send the input as JSON; GET and DELETE send it as query parameters (the shim's `input`). */
export function toInvokeRequest(body: {
  method: InvokeRequest["method"];
  path?: string;
  input?: unknown;
}): InvokeRequest {
  const path = body.path ?? "/";
  if (body.method !== "GET" && body.method !== "DELETE") {
    return { method: body.method, path, contentType: "application/json", body: JSON.stringify(body.input ?? null) };
  }
  if (body.input === undefined || body.input === null) return { method: body.method, path };
  if (typeof body.input !== "object" || Array.isArray(body.input)) {
    throw new ApiError(
      "invalid_request",
      `input: a ${body.method} sends its input as query parameters, so it must be an object`,
    );
  }
  const url = new URL(`http://pulse.invalid${path}`); // appended, never resolved: a path cannot name a host
  for (const [key, value] of Object.entries(body.input as Record<string, unknown>)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (!["string", "number", "boolean"].includes(typeof item)) {
        throw new ApiError(
          "invalid_request",
          `input.${key}: query parameters are strings, numbers or booleans (or lists of them)`,
        );
      }
      url.searchParams.append(key, String(item as QueryValue));
    }
  }
  return { method: body.method, path: `${url.pathname}${url.search}` };
}
