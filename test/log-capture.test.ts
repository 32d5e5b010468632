// The log capture on workerd, from a hostile pulse's side (runtime-shim/log-capture.ts, dispatcher/logs/
// pulse-log.ts): the isolate sends its own console lines to a binding it cannot see or redirect, in bounded
// batches, and the dispatcher writes each request line. Workerd only: on Cloudflare the namespace's tail reads
// the lines (test/namespace-tail.test.ts, and logs.test.ts in the dispatch-namespace project).

import { beforeAll, describe, expect, it } from "vitest";
import type { LogEntry } from "../dispatcher/logs/log-store.ts";
import { MAX_LINES_PER_FLUSH, MAX_MESSAGE_BYTES } from "../platform/log-lines.ts";
import { logsOf as readLogs } from "./support/pulse-logs.ts";
import { deployFixture, type DeployedPulse } from "./support/pulses.ts";

const logsOf = (pulse: DeployedPulse) => readLogs(pulse.pulseId);

/** Calls the pulse and returns the request id the end user got (the body read: the invocation has ended). */
async function call(pulse: DeployedPulse, query: string): Promise<{ requestId: string; status: number; body: any }> {
  const res = await pulse.call(`/?${query}`);
  const text = await res.text();
  return { requestId: res.headers.get("x-pulse-request-id")!, status: res.status, body: JSON.parse(text) };
}

/** The request's entries once its request line and whatever `done` waits for have arrived (they follow the answer). */
async function entriesOf(pulse: DeployedPulse, requestId: string, done = (_: LogEntry[]) => true): Promise<LogEntry[]> {
  for (let i = 0; i < 60; i++) {
    const mine = (await logsOf(pulse)).filter((e) => e.requestId === requestId);
    if (mine.some((e) => e.level === "request") && done(mine)) return mine;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the entries of ${requestId} did not arrive`);
}

let attacker: DeployedPulse;
let victim: DeployedPulse;
beforeAll(async () => {
  [attacker, victim] = await Promise.all([deployFixture("log-attacks"), deployFixture("log-attacks")]);
});

describe("a pulse's log binding", () => {
  it("is nowhere user code can reach: not in env, not in the runtime's env (even at module load), not global", async () => {
    const { body } = await call(attacker, "mode=find-binding");
    expect(body.envKeys).toEqual(["VIBE_ID", "connections", "crypto", "kv", "secrets"]);
    expect(body.runtimeEnvKeys).toEqual(body.envKeys);
    expect(body.atLoad).toEqual({ runtimeEnvKeys: body.envKeys, binding: false });
    expect(body.binding).toBe(false);
    expect(body.ctxKeys).toEqual(["request", "requestId", "waitUntil"]);
    expect(body.globals).toEqual([]);
  });

  it("writes only to the pulse's own log, and never a request line, whatever the isolate sends", async () => {
    const before = (await logsOf(victim)).length;
    const { requestId } = await call(attacker, `mode=forge&victim=${victim.pulseId}`);
    const mine = await entriesOf(attacker, requestId, (es) => es.some((e) => e.message.startsWith("forging")));
    // The real request line is the dispatcher's; the forged one never arrived, in any log.
    expect(mine.filter((e) => e.level === "request").map((e) => e.data)).toEqual([
      expect.objectContaining({ method: "GET", path: "/", status: 200, outcome: "ok" }),
    ]);
    const all = await logsOf(attacker);
    expect(all.filter((e) => e.level === "request" && e.message.includes("forged"))).toEqual([]);
    // A line naming the victim stays in the attacker's log; an oversized request id is dropped from its line.
    expect(all.find((e) => e.message === "written for the victim")?.requestId).toBe("forged");
    expect(all.find((e) => e.message.startsWith("with a request id of"))?.requestId).toBeNull();
    await new Promise((r) => setTimeout(r, 300)); // longer than a batch takes to reach a store
    expect((await logsOf(victim)).slice(before)).toEqual([]);
  });
});

describe("a pulse holding its raw log binding", () => {
  it("still gets its lines cut to size and stamped with the time they arrived", async () => {
    const thief = await deployFixture("log-binding-thief");
    const before = Date.now();
    const { body } = await call(thief, "calls=1");
    expect(body).toEqual({ stolen: true, sent: 200 }); // the stub was caught: the bounds below are the platform's
    let stolen: LogEntry[] = [];
    for (let i = 0; i < 60 && stolen.length < 200; i++) {
      stolen = (await logsOf(thief)).filter((e) => e.message.startsWith("stolen "));
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(stolen).toHaveLength(200);
    for (const e of stolen) {
      expect(new TextEncoder().encode(e.message).byteLength).toBeLessThanOrEqual(MAX_MESSAGE_BYTES + 20);
      expect(e.ts).toBeGreaterThanOrEqual(before - 1000);
    }
  });
});

describe("lines the pulse writes", () => {
  it("are bounded: a tight loop keeps MAX_LINES_PER_FLUSH lines and one entry saying how many were dropped", async () => {
    const { requestId } = await call(victim, "mode=flood&lines=5000");
    const mine = await entriesOf(victim, requestId, (es) => es.some((e) => e.data?.dropped !== undefined));
    const lines = mine.filter((e) => e.level === "log" && e.message.startsWith("flood "));
    expect(lines).toHaveLength(MAX_LINES_PER_FLUSH);
    expect(lines[0]!.message).toBe("flood 0");
    const dropped = mine.filter((e) => e.data?.dropped !== undefined);
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ level: "warn", data: { dropped: 5000 - MAX_LINES_PER_FLUSH } });
    expect(dropped[0]!.message).toMatch(/^4800 log lines dropped/);
  });

  it("written in ctx.waitUntil after the answer, still arrive with the request's id", async () => {
    const { requestId, body } = await call(victim, "mode=after");
    expect(body).toEqual({ answered: true });
    const mine = await entriesOf(victim, requestId, (es) => es.some((e) => e.level === "log"));
    expect(mine.find((e) => e.level === "log")?.message).toBe("written after the answer");
  });

  it("include an error thrown by run() with its stack, as an error line, and the request line says 500", async () => {
    const { requestId, status, body } = await call(victim, "mode=throw");
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain("thrown by run()");
    const mine = await entriesOf(victim, requestId, (es) => es.some((e) => e.level === "error"));
    const error = mine.find((e) => e.level === "error")!;
    expect(error.message).toContain("uncaught error in the pulse: TypeError: thrown by run()");
    expect(error.message).toMatch(/\n\s+at /);
    expect(mine.find((e) => e.level === "request")).toMatchObject({
      message: expect.stringMatching(/^GET \/ 500 \d+ ms$/),
      data: { method: "GET", path: "/", status: 500, outcome: "ok" },
    });
    // The request line follows the lines of its request.
    expect(mine.at(-1)!.level).toBe("request");
  });

  it("include unhandled rejections and rejected waitUntil promises as exceptions, with name and stack", async () => {
    const { requestId } = await call(victim, "mode=reject");
    const mine = await entriesOf(victim, requestId, (es) => es.filter((e) => e.level === "exception").length === 2);
    const exceptions = mine.filter((e) => e.level === "exception");
    expect(exceptions.map((e) => e.message).sort()).toEqual([
      "RangeError: rejected and never handled",
      "SyntaxError: rejected in waitUntil",
    ]);
    for (const e of exceptions) expect(e.data?.stack).toMatch(/\n\s+at /);
  });
});
