// The shared control-API client's one error decoder (platform/api-client), driven through the client itself
// with the answers a platform, a proxy in front of it or a broken network can give.

import { describe, expect, it } from "vitest";
import { ApiFailure, bodyOf, createApiClient } from "../../platform/api-client/client.ts";
import { decodeFailure } from "../../platform/api-client/failure.ts";

const JSON_TYPE = { "content-type": "application/json" };

/** A client whose every call is answered by `answer` (or fails the way it throws). */
function clientAnswering(answer: () => Response | Promise<Response>) {
  return createApiClient({ baseUrl: "http://platform.test", fetch: async () => answer() });
}

async function failureOf(answer: () => Response | Promise<Response>): Promise<ApiFailure> {
  const error = await bodyOf(clientAnswering(answer).GET("/v1/whoami")).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiFailure);
  return error as ApiFailure;
}

describe("control API failures", () => {
  it("decodes the platform's envelope: status, code, message, request id, details", async () => {
    const body = {
      error: { code: "build_failed", message: "index.ts:1: oops", requestId: "r-1", details: { diagnostics: [] } },
    };
    const failure = await failureOf(() => Response.json(body, { status: 422 }));
    expect(failure).toMatchObject({
      status: 422,
      code: "build_failed",
      message: "index.ts:1: oops",
      requestId: "r-1",
      details: { diagnostics: [] },
    });
  });

  it("keeps the envelope's fields and ignores extra ones", async () => {
    const body = { error: { code: "rate_limited", message: "Slow down", retryAfter: 3, stack: "at x()" }, extra: 1 };
    const failure = await failureOf(() => Response.json(body, { status: 429 }));
    expect(failure.code).toBe("rate_limited");
    expect(failure.message).toBe("Slow down");
    expect(failure.details).toBeUndefined();
    expect(JSON.stringify(failure)).not.toContain("at x()");
  });

  it("takes the request id from the header when the body has none", async () => {
    const failure = await failureOf(
      () => new Response("<html>Bad gateway</html>", { status: 502, headers: { "x-pulse-request-id": "r-h" } }),
    );
    expect(failure).toMatchObject({ status: 502, code: "http_502", requestId: "r-h" });
  });

  it("reports a proxy's HTML error page by its status, never its markup", async () => {
    const failure = await failureOf(
      () => new Response("<html><body><h1>502 Bad Gateway</h1></body></html>", { status: 502 }),
    );
    expect(failure).toMatchObject({ status: 502, code: "http_502", message: "The platform answered 502" });
    expect(failure.requestId).toBeUndefined();
  });

  it("treats a truncated JSON error body as no envelope", async () => {
    const failure = await failureOf(
      () => new Response('{"error":{"code":"pulse_not_found","mess', { status: 404, headers: JSON_TYPE }),
    );
    expect(failure).toMatchObject({ status: 404, code: "http_404" });
  });

  it("refuses envelope look-alikes: a code that is not the platform's form, a message that is not text", () => {
    const odd = [
      { error: { code: "\u001b[31mred", message: "x" } },
      { error: { code: 42, message: "x" } },
      { error: { code: "not_found", message: { text: "x" } } },
      { error: "pulse_not_found" },
      { error: null },
      [],
      null,
      "error",
      7,
    ];
    for (const body of odd) {
      const failure = decodeFailure(500, JSON.stringify(body));
      expect(failure.code, JSON.stringify(body)).toBe("http_500");
      expect(failure.message).toBe("The platform answered 500");
    }
    expect(decodeFailure(401, "").code).toBe("http_401");
  });

  it("reports a success without the JSON body it promises: HTML, truncated JSON, nothing", async () => {
    const bodies = [
      ["<!doctype html><title>Sign in to the proxy</title>", "a body that is not JSON"],
      ['{"role":"admin","sub":', "a body that is not JSON"],
      ["", "no body"],
    ] as const;
    for (const [body, what] of bodies) {
      const failure = await failureOf(() => new Response(body, { status: 200, headers: JSON_TYPE }));
      expect(failure).toMatchObject({ status: 200, code: "invalid_response" });
      expect(failure.message).toBe(`The platform answered 200 with ${what}`);
    }
  });

  it("reports no answer at all as status 0, keeping the cause", async () => {
    const refused = new TypeError("fetch failed");
    const failure = await failureOf(() => Promise.reject(refused));
    expect(failure).toMatchObject({ status: 0, code: "network_error" });
    expect(failure.message).toBe("The platform did not answer: fetch failed");
    expect(failure.cause).toBe(refused);
  });

  it("passes a success through: a JSON body typed by the spec, a 204, an event stream unread", async () => {
    const who = { role: "admin", sub: "ops" };
    await expect(bodyOf(clientAnswering(() => Response.json(who)).GET("/v1/whoami"))).resolves.toEqual(who);
    const empty = await clientAnswering(() => new Response(null, { status: 204 })).GET("/v1/whoami");
    expect(empty.response.status).toBe(204);
    const events = "data: {}\n\n";
    const streamed = await clientAnswering(
      () => new Response(events, { headers: { "content-type": "text/event-stream" } }),
    ).GET("/v1/whoami", { parseAs: "stream" });
    expect(await new Response(streamed.data as ReadableStream).text()).toBe(events);
  });
});
