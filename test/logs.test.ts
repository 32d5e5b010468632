// Logs from the developer's side: console lines, the request line and uncaught errors with their stack, all
// carrying the request id the end user got; a live tail that shows a request's line within a second.

import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, newTenant, type TestTenant } from "./support/control.ts";
import { deployFixture, type DeployedPulse } from "./support/pulses.ts";

let dev: TestTenant;
let pulse: DeployedPulse;
beforeAll(async () => {
  dev = await newTenant();
  pulse = await deployFixture("logger", { tenant: dev.name });
});

/** Tails run after the invocation: poll until the entries for `requestId` are there. */
async function logsFor(requestId: string, atLeast: number): Promise<any[]> {
  for (let i = 0; i < 40; i++) {
    const res = await api("GET", `/v1/pulses/${pulse.name}/logs?limit=1000`, { token: dev.token });
    expect(res.status).toBe(200);
    const mine = (res.body.logs as any[]).filter((e) => e.requestId === requestId);
    if (mine.length >= atLeast) return mine;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no logs for ${requestId}`);
}

describe("pulse logs", () => {
  it("keeps console lines and a request line, tagged with the end user's request id", async () => {
    const res = await pulse.call("/?note=first");
    const requestId = res.headers.get("x-pulse-request-id")!;
    await res.text(); // an invocation ends (and is logged) once its response has been read
    const entries = await logsFor(requestId, 3);
    expect(entries.map((e) => e.level)).toEqual(["log", "warn", "request"]);
    expect(entries[0].message).toBe('hello from the pulse {"note":"first"}');
    expect(entries[2].data).toMatchObject({ method: "GET", path: "/", status: 200 });
    expect(entries[2].message).toMatch(/^GET \/ 200 \d+ ms$/);
  });

  it("shows developers the stack of an uncaught error that end users never see", async () => {
    const res = await pulse.call("/?mode=throw");
    const requestId = res.headers.get("x-pulse-request-id")!;
    const body = await res.text();
    expect(res.status).toBe(500);
    expect(body).not.toContain("kaboom");
    expect(body).toContain(requestId);
    const entries = await logsFor(requestId, 4);
    const error = entries.find((e) => e.level === "error");
    expect(error.message).toContain("kaboom in the handler");
    expect(error.message).toMatch(/\n\s+at /); // the stack
    expect(entries.find((e) => e.level === "request").data.status).toBe(500);
  });

  it("pages with after/limit and is private to the pulse's tenant", async () => {
    // A pulse of its own, so its log store holds exactly these nine lines: three calls, three lines each.
    const paged = await deployFixture("logger", { tenant: dev.name });
    for (const note of ["one", "two", "three"]) await (await paged.call(`/?note=${note}`)).text();
    const page = async (query: string) => {
      const res = await api("GET", `/v1/pulses/${paged.name}/logs?${query}`, { token: dev.token });
      expect(res.status).toBe(200);
      return res.body.logs as any[];
    };
    let all: any[] = [];
    for (let i = 0; i < 40 && all.length < 9; i++) {
      if (i) await new Promise((r) => setTimeout(r, 50));
      all = await page("limit=1000");
    }
    expect(all.map((e) => [e.level, e.message.split(" ").at(-1)])).toEqual(
      ["one", "two", "three"].flatMap((note) => [
        ["log", `{"note":"${note}"}`],
        ["warn", "warning"],
        ["request", "ms"],
      ]),
    );
    expect(all.every((e, i) => i === 0 || e.id > all[i - 1].id)).toBe(true);
    // limit keeps the newest entries, oldest first; after skips everything up to and including its id.
    expect(await page("limit=2")).toEqual(all.slice(7));
    expect(await page(`after=${all[2].id}`)).toEqual(all.slice(3));
    expect(await page(`after=${all[2].id}&limit=4`)).toEqual(all.slice(5));
    expect(await page(`after=${all[8].id}`)).toEqual([]);
    const other = await newTenant();
    expect((await api("GET", `/v1/pulses/${paged.name}/logs`, { token: other.token })).status).toBe(404);
  });

  it("streams a request's lines live, within a second", async () => {
    const res = await (exports as unknown as { default: Fetcher }).default.fetch(
      new Request(`http://127.0.0.1/v1/pulses/${pulse.name}/logs?tail=1`, {
        headers: { host: "127.0.0.1", authorization: `Bearer ${dev.token}` },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const started = Date.now();
    const call = await pulse.call("/?note=live");
    const requestId = call.headers.get("x-pulse-request-id")!;
    await call.text();
    let text = "";
    while (!text.includes(`"requestId":"${requestId}","message":"GET`) && Date.now() - started < 1000) {
      const { value, done } = await Promise.race([
        reader.read(),
        new Promise<{ value: undefined; done: true }>((r) =>
          setTimeout(() => r({ value: undefined, done: true }), 1000),
        ),
      ]);
      if (done) break;
      text += decoder.decode(value);
    }
    await reader.cancel();
    expect(text).toContain('hello from the pulse {\\"note\\":\\"live\\"}');
    expect(text).toContain(`"requestId":"${requestId}"`);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
