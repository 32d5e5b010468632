import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deployFixture } from "./support/pulses.ts";

const json = (body: unknown, method = "POST", contentType = "application/json") => ({
  method,
  headers: { "content-type": contentType },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

/** The `returns` fixture's waitUntil write lands after its answer: poll for it (bounded), null if it never does. */
async function lateWrite(pulseId: string): Promise<string | null> {
  for (let i = 0; i < 100; i++) {
    const late = await env.PULSE_KV.get(`vibe:${pulseId}:late`);
    if (late !== null) return late;
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

describe("runtime shim: request -> input", () => {
  it("gives query parameters as input on GET, repeated keys as arrays", async () => {
    const pulse = await deployFixture("echo");
    const res = await pulse.call("/?a=1&b=2&b=3");
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.input).toEqual({ a: "1", b: ["2", "3"] });
    expect(body.method).toBe("GET");
  });

  it("keeps __proto__ in the query a plain key, not a prototype", async () => {
    const pulse = await deployFixture("echo");
    const body = await (await pulse.call("/?__proto__=x&constructor=y")).json<any>();
    expect(body.input).toEqual({ ["__proto__"]: "x", constructor: "y" });
  });

  it("gives the parsed JSON body on POST, PUT and PATCH, and ctx.request still has the body", async () => {
    const pulse = await deployFixture("echo");
    for (const method of ["POST", "PUT", "PATCH"]) {
      const res = await pulse.call("/?ignored=1", json({ hello: "world", n: [1, 2] }, method));
      const body = await res.json<any>();
      expect(body.input).toEqual({ hello: "world", n: [1, 2] });
      expect(body.method).toBe(method);
      expect(JSON.parse(body.body)).toEqual({ hello: "world", n: [1, 2] });
    }
  });

  it("accepts +json content types with parameters", async () => {
    const pulse = await deployFixture("echo");
    const res = await pulse.call("/", json([1, 2, 3], "POST", "application/vnd.api+json; charset=utf-8"));
    expect((await res.json<any>()).input).toEqual([1, 2, 3]);
  });

  it("uses the query for bodies that are not JSON or empty", async () => {
    const pulse = await deployFixture("echo");
    const text = await (await pulse.call("/?q=1", json("plain text", "POST", "text/plain"))).json<any>();
    expect(text.input).toEqual({ q: "1" });
    expect(text.body).toBe("plain text");
    const empty = await (await pulse.call("/?q=2", json("", "POST"))).json<any>();
    expect(empty.input).toEqual({ q: "2" });
  });

  it("answers invalid JSON with 400 invalid_json before user code runs", async () => {
    const pulse = await deployFixture("returns");
    // The query asks for the write too, so a shim that fell back to the query would run it.
    const res = await pulse.call("/?mode=wait-until", json('{"mode": "wait-until"', "POST"));
    expect(res.status).toBe(400);
    const body = await res.json<any>();
    expect(body.error.code).toBe("invalid_json");
    expect(body.error.requestId).toBe(res.headers.get("x-pulse-request-id"));
    // User code did not run: the waitUntil write never happened. The control, the same code sent valid JSON
    // after it, shows the write lands when the code runs, and that the time for it to land has passed.
    const control = await deployFixture("returns");
    expect((await control.call("/", json({ mode: "wait-until" }))).status).toBe(200);
    expect(await lateWrite(control.pulseId)).toBe("written after the response");
    expect(await env.PULSE_KV.get(`vibe:${pulse.pulseId}:late`)).toBeNull();
  });
});

describe("runtime shim: return value -> response", () => {
  it("turns plain values into 200 JSON", async () => {
    const pulse = await deployFixture("returns");
    for (const [mode, expected] of [
      ["null", null],
      ["string", "hello"],
      ["other", { mode: "other" }],
    ] as const) {
      const res = await pulse.call(`/?mode=${mode}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(await res.json()).toEqual(expected);
    }
  });

  it("answers undefined with 204 and no body", async () => {
    const res = await (await deployFixture("returns")).call("/?mode=undefined");
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
  });

  it("passes a Response through, adding only the request id", async () => {
    const res = await (await deployFixture("returns")).call("/?mode=response");
    expect(res.status).toBe(201);
    expect(res.headers.get("x-custom")).toBe("yes");
    expect(res.headers.get("x-pulse-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.text()).toBe("raw body");
  });

  it("turns thrown errors into 500 pulse_error without message details or stack", async () => {
    const pulse = await deployFixture("returns");
    for (const mode of ["throw", "throw-string", "throw-proxy"]) {
      const res = await pulse.call(`/?mode=${mode}`);
      expect(res.status).toBe(500);
      const text = await res.text();
      const body = JSON.parse(text);
      expect(body.error.code).toBe("pulse_error");
      expect(body.error.requestId).toBe(res.headers.get("x-pulse-request-id"));
      expect(text).not.toContain("hunter2");
      expect(text).not.toMatch(/\bat .*:\d+:\d+/); // no stack frames
      expect(text).not.toContain("returns.ts");
    }
  });

  it("reports values with no JSON form as pulse_error", async () => {
    const pulse = await deployFixture("returns");
    for (const mode of ["cyclic", "bigint", "function"]) {
      const res = await pulse.call(`/?mode=${mode}`);
      expect(res.status).toBe(500);
      const body = await res.json<any>();
      expect(body.error.code).toBe("pulse_error");
      expect(body.error.message).toMatch(/JSON/);
    }
  });

  it("keeps ctx.waitUntil work alive after the response", async () => {
    const pulse = await deployFixture("returns");
    expect(await (await pulse.call("/?mode=wait-until")).json()).toEqual({ scheduled: true });
    expect(await lateWrite(pulse.pulseId)).toBe("written after the response");
    expect(await (await pulse.call("/?mode=read-late")).json()).toEqual({ late: "written after the response" });
  });
});
