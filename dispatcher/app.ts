// The data plane, top to bottom: Host -> door -> pulse (suspended? quarantined?) -> plan limits (rate, body
// size) -> active version -> ScriptHost under the plan's wall time -> redaction -> usage. Every answer carries
// a request id; every failure is a code and a message, never an internal detail.

import { Hono } from "hono";
import { errorResponse, REQUEST_ID_HEADER, type ErrorCode } from "../platform/errors.ts";
import { PLATFORM_ONLY_HEADERS } from "../platform/internal-headers.ts";
import { lookupRoute, type RouteLookup } from "../platform/registry.ts";
import { storageUnavailable, StorageUnavailableError } from "../platform/storage-guard.ts";
import { ttlFromConfig } from "../platform/ttl-cache.ts";
import { cacheTtl } from "../outbound/deps.ts";
import { redactResponse } from "../outbound/redact.ts";
import { loadSecrets } from "../outbound/secret-store.ts";
import { limitBody } from "./body-limit.ts";
import { confineCookieDomains } from "./cookie-domain.ts";
import { requestForPulse } from "./local-edge.ts";
import { limitStreamTime } from "./stream-deadline.ts";
import { DEFAULT_BASE_DOMAIN, type DispatcherEnv } from "./env.ts";
import { routeHost } from "./host-name.ts";
import { routeCustomHost } from "./custom-hosts.ts";
import { bootQuarantineUntil } from "./quarantine.ts";
import { takeRequestFor } from "./rate-limit.ts";
import { holdRefusal } from "./refusal-hold.ts";
import { answerFromStaticFiles } from "./static-files.ts";
import { cachedLookup, DEFAULT_ROUTE_CACHE_TTL_MS } from "./route-cache.ts";
import { replayKeep, startRecording } from "./replay/recorder.ts";
import { recordEndUserOutcome, runPulse } from "./run-pulse.ts";
import { stickySide } from "./canary/split.ts";
import { recordCanarySample } from "../platform/canary-meter.ts";

type AppEnv = { Bindings: DispatcherEnv };

export const app = new Hono<AppEnv>();

app.all("*", async function dispatch(c) {
  const request = c.req.raw;
  const hostHeader = request.headers.get("host") ?? new URL(request.url).host;
  let route = routeHost(hostHeader, c.env.BASE_DOMAIN ?? DEFAULT_BASE_DOMAIN);
  // Outside the base domain only: a verified custom domain is its pulse's door (custom-hosts.ts).
  if (route.kind === "control") route = await routeCustomHost(hostHeader, c.env);
  if (route.kind === "control") return c.env.CONTROL.fetch(request);

  const requestId = crypto.randomUUID();
  if (route.kind === "no_pulse") return errorResponse("pulse_not_found", "No pulse is served at this host", requestId);

  let lookup: RouteLookup;
  try {
    lookup = await cachedLookup(route.name, routeCacheTtl(c.env), (name) => lookupRoute(c.env.DB, name));
  } catch (error) {
    console.error(`[${requestId}] route lookup failed:`, error);
    return storageUnavailable(requestId);
  }
  switch (lookup.kind) {
    case "not_found":
      return errorResponse("pulse_not_found", `No pulse named "${route.name}"`, requestId);
    case "not_deployed":
      return errorResponse("pulse_not_deployed", `Pulse "${lookup.pulseName}" has no deployed version`, requestId);
    case "suspended":
      return errorResponse("tenant_suspended", `The account that owns "${lookup.pulseName}" is suspended`, requestId);
    case "quarantined":
      await holdRefusal(lookup.pulseId);
      return errorResponse(
        "pulse_quarantined",
        `Pulse "${lookup.pulseName}" stalled the runtime and is paused; deploy a fix or retry later`,
        requestId,
        {
          "retry-after": String(Math.max(1, Math.ceil((lookup.until - Date.now()) / 1000))),
        },
      );
  }
  // An open canary: this client's side (docs/canary.md); its figures are counted in finish().
  const sticky = lookup.canary ? stickySide(lookup.canary, request) : null;
  const target = sticky ? sticky.arm.target : lookup.target;
  // A custom domain belongs to a pulse id: a name deleted and reused by another tenant within the TTL is not it.
  if (route.pulseId !== undefined && route.pulseId !== target.pulseId)
    return errorResponse("pulse_not_found", "No pulse is served at this host", requestId);
  const { limits } = target;
  const bootUntil = bootQuarantineUntil(c.env, target);
  if (bootUntil !== null) {
    await holdRefusal(target.pulseId);
    return errorResponse(
      "pulse_quarantined",
      `Pulse "${target.pulseName}" stalled the runtime and is paused; deploy a fix or retry later`,
      requestId,
      {
        "retry-after": String(Math.max(1, Math.ceil((bootUntil - Date.now()) / 1000))),
      },
    );
  }

  let rate = takeRequestFor(c.env, target.pulseId, limits.requestsPerMinute);
  if (rate instanceof Promise) rate = await rate; // shared limits only, once per lease (rate-limit.ts)
  if (!rate.ok) {
    await holdRefusal(target.pulseId);
    return errorResponse(
      "rate_limited",
      `Pulse "${target.pulseName}" is limited to ${limits.requestsPerMinute} requests per minute on plan ${target.plan}`,
      requestId,
      {
        "retry-after": String(rate.retryAfterSeconds),
      },
    );
  }
  // The version's public/ files answer before run(); a version without files skips this on the row already read.
  if (target.staticManifest) {
    const file = await answerFromStaticFiles(c.env.BUNDLES, target.staticManifest, request, requestId);
    if (file) return file;
  }
  const sized = await limitBody(request, limits.requestBodyBytes);
  if (!sized.ok) {
    return errorResponse(
      "request_too_large",
      `Request bodies are limited to ${limits.requestBodyBytes} bytes on plan ${target.plan}`,
      requestId,
    );
  }

  // The request id header is ours: whatever the caller sent under that name is replaced. Headers only the
  // platform sets (a scheduled run, a describe call) never come from an end user.
  const forwarded = requestForPulse(sized.request, c.env);
  forwarded.headers.set(REQUEST_ID_HEADER, requestId);
  for (const name of PLATFORM_ONLY_HEADERS) forwarded.headers.delete(name);
  // Kept for shadow replay when the plan says so (the answer is recorded as the end user gets it).
  const ctx = c.executionCtx as ExecutionContext;
  // A canary's answers are not recorded: previews compare candidates with what the live version answered.
  const recorded = replayKeep(target) > 0 && sticky?.arm.side !== "canary";
  const recording = recorded ? await startRecording(c.env, ctx, target, forwarded, requestId) : null;
  const started = Date.now();
  const finish = (answer: Response, code?: ErrorCode) => {
    const ms = Date.now() - started;
    const response = recording ? recording.finish(answer, ms) : answer;
    if (sticky) recordCanarySample(sticky.arm, response.status, ms);
    recordEndUserOutcome(c.env, ctx, target, {
      requestId,
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      ms,
      ...(code ? { code } : {}),
    });
    return response;
  };

  const outcome = await runPulse(c.env, ctx, target, forwarded, requestId);
  if (outcome.code) return finish(outcome.response, outcome.code);
  let response = outcome.response;

  // A pulse with secrets could have obtained a value (an upstream echoing it back): none leaves here.
  if (target.secretNames.length > 0) {
    try {
      const secrets = await loadSecrets(c.env, target.pulseId, cacheTtl(c.env));
      response = redactResponse(response, secrets);
    } catch (error) {
      console.error(`[${requestId}] secrets of ${target.pulseName} could not be loaded for redaction:`, error);
      return finish(
        errorResponse("platform_unavailable", "The platform could not check this response; retry shortly", requestId),
        "platform_unavailable",
      );
    }
  }
  const headers = new Headers(response.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  if (sticky?.setCookie) headers.append("set-cookie", sticky.setCookie);
  confineCookieDomains(headers, route.name, c.env.BASE_DOMAIN ?? DEFAULT_BASE_DOMAIN, route.host);
  const body = limitStreamTime(response.body, headers, started + limits.wallMs, () => {
    console.error(
      `[${requestId}] pulse ${target.pulseName}: streamed answer cut at the wall time of ${limits.wallMs} ms`,
    );
  });
  return finish(new Response(body, { status: response.status, statusText: response.statusText, headers }));
});

// Whatever escapes the handler still gets the error shape: never hono's plain-text 500.
app.onError(function dispatchError(error, c) {
  const requestId = crypto.randomUUID();
  console.error(`[${requestId}] dispatcher error:`, error);
  if (error instanceof StorageUnavailableError) return storageUnavailable(requestId);
  return errorResponse("internal_error", "The platform failed to handle this request", requestId);
});

function routeCacheTtl(env: DispatcherEnv): number {
  return ttlFromConfig(env.ROUTE_CACHE_TTL_MS, DEFAULT_ROUTE_CACHE_TTL_MS);
}
