// The data plane, top to bottom: Host -> door -> pulse -> active version -> ScriptHost. Every answer
// carries a request id; every failure is a code and a message, never an internal detail.

import { Hono } from "hono";
import { errorResponse, REQUEST_ID_HEADER } from "../platform/errors.ts";
import { lookupRoute, type RouteLookup } from "../platform/registry.ts";
import { DEFAULT_BASE_DOMAIN, type DispatcherEnv } from "./env.ts";
import { routeHost } from "./host-name.ts";
import { cachedLookup, DEFAULT_ROUTE_CACHE_TTL_MS } from "./route-cache.ts";
import { createScriptHost } from "./hosts/index.ts";
import { cacheTtl } from "../outbound/deps.ts";
import { redactResponse } from "../outbound/redact.ts";
import { loadSecrets } from "../outbound/secret-store.ts";

type AppEnv = { Bindings: DispatcherEnv };

export const app = new Hono<AppEnv>();

app.all("*", async function dispatch(c) {
  const request = c.req.raw;
  const route = routeHost(request.headers.get("host") ?? new URL(request.url).host, c.env.BASE_DOMAIN ?? DEFAULT_BASE_DOMAIN);
  if (route.kind === "control") return c.env.CONTROL.fetch(request);

  const requestId = crypto.randomUUID();
  if (route.kind === "no_pulse") return errorResponse("pulse_not_found", "No pulse is served at this host", requestId);

  let lookup: RouteLookup;
  try {
    lookup = await cachedLookup(route.name, routeCacheTtl(c.env), (name) => lookupRoute(c.env.DB, name));
  } catch (error) {
    console.error(`[${requestId}] route lookup failed:`, error);
    return errorResponse("platform_unavailable", "The platform could not look up this pulse; retry shortly", requestId);
  }
  if (lookup.kind === "not_found") return errorResponse("pulse_not_found", `No pulse named "${route.name}"`, requestId);
  if (lookup.kind === "not_deployed") {
    return errorResponse("pulse_not_deployed", `Pulse "${lookup.pulseName}" has no deployed version`, requestId);
  }

  // The request id header is ours: whatever the caller sent under that name is replaced.
  const forwarded = new Request(request);
  forwarded.headers.set(REQUEST_ID_HEADER, requestId);
  let response: Response;
  try {
    response = await createScriptHost(c.env, c.executionCtx as ExecutionContext).invoke(lookup.target, forwarded);
  } catch (error) {
    console.error(`[${requestId}] pulse ${lookup.target.pulseName} could not be run:`, error);
    return errorResponse("pulse_unavailable", "The pulse could not be started", requestId);
  }
  // A pulse with secrets could have obtained a value (an upstream echoing it back): none leaves here.
  if (lookup.target.secretNames.length > 0) {
    try {
      const secrets = await loadSecrets(c.env, lookup.target.pulseId, cacheTtl(c.env));
      response = redactResponse(response, secrets.map((s) => s.value));
    } catch (error) {
      console.error(`[${requestId}] secrets of ${lookup.target.pulseName} could not be loaded for redaction:`, error);
      return errorResponse("platform_unavailable", "The platform could not check this response; retry shortly", requestId);
    }
  }
  const headers = new Headers(response.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
});

function routeCacheTtl(env: DispatcherEnv): number {
  const ttl = Number(env.ROUTE_CACHE_TTL_MS ?? DEFAULT_ROUTE_CACHE_TTL_MS);
  return Number.isFinite(ttl) && ttl >= 0 ? ttl : DEFAULT_ROUTE_CACHE_TTL_MS;
}
