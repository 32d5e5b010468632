// The dispatcher's tail() as the tail consumer of namespace scripts on Cloudflare (dispatcher/logs/
// namespace-tail.ts), fed synthetic TraceItems shaped as Cloudflare documents them: a pulse's lines land in
// its log store, the one the logs API reads; items that do not name a pulse's script, or whose tags name
// another pulse, or of a deleted pulse, are dropped.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import dispatcher from "../dispatcher/index.ts";
import { logsOf as readLogs } from "./support/pulse-logs.ts";
import { REQUEST_LINE_HOLD_MS } from "../dispatcher/logs/store-batches.ts";
import { FLUSH_DELAY_MS } from "../platform/log-lines.ts";
import { MAX_LINES_PER_SECOND } from "../dispatcher/logs/line-budget.ts";
import { pulseOfTrace } from "../dispatcher/logs/namespace-tail.ts";
import { REQUEST_ID_HEADER } from "../platform/errors.ts";
import { scriptNameFor } from "../platform/namespace-script.ts";
import { seedPulse } from "../supervisor/seed.ts";
import { adminToken, api } from "./support/control.ts";
import { uniqueName } from "./support/pulses.ts";

const NAMESPACE = "pulse-tenants";

async function livePulse() {
  const name = uniqueName("tail");
  const seeded = await seedPulse(env.DB, env.BUNDLES, {
    tenant: `tenant-${name}`,
    pulse: name,
    plan: "free",
    code: `export default { fetch: () => new Response("ok") };`,
  });
  return {
    name,
    id: seeded.pulseId,
    tenantId: seeded.tenantId,
    script: scriptNameFor(seeded.pulseId, seeded.versionId),
  };
}

/** One invocation of a namespace script as a Tail Worker receives it. */
function traceItem(script: string, tags: string[] | undefined, message: string, requestId = "req-1"): TraceItem {
  const now = Date.now();
  return {
    scriptName: script,
    scriptTags: tags,
    dispatchNamespace: NAMESPACE,
    outcome: "ok",
    eventTimestamp: now,
    event: {
      request: {
        url: "https://example.pulses.test/hello",
        method: "GET",
        headers: { [REQUEST_ID_HEADER]: requestId },
        cf: {},
      },
      response: { status: 200 },
    },
    logs: [{ timestamp: now, level: "log", message: [message, { n: 1 }] }],
    exceptions: [{ timestamp: now, name: "Error", message: "kaboom", stack: "Error: kaboom\n    at run" }],
    diagnosticsChannelEvents: [],
    wallTime: 3,
    cpuTime: 1,
    truncated: false,
    executionModel: "stateless",
  } as unknown as TraceItem;
}

/** Lines join their log store's open batch, which another invocation may have opened (and waits on): the
 * latest a batch flushes is its hold and delay after its first line. */
const FLUSHED_MS = REQUEST_LINE_HOLD_MS + FLUSH_DELAY_MS + 200;

async function tail(events: TraceItem[]): Promise<void> {
  const ctx = createExecutionContext();
  await dispatcher.tail!(events, env as never, ctx);
  await waitOnExecutionContext(ctx);
  await new Promise((resolve) => setTimeout(resolve, FLUSHED_MS));
}

const logsOf = (pulseId: string) => readLogs(pulseId, 100);

describe("namespace tail consumer", () => {
  it("writes a pulse's console lines, exceptions and request line to its log store", async () => {
    const p = await livePulse();
    await tail([traceItem(p.script, [`tenant:${p.tenantId}`, "plan:free", `pulse:${p.id}`], "hello from cf")]);
    const entries = await logsOf(p.id);
    expect(entries.map((e) => [e.level, e.requestId, e.message])).toEqual([
      ["log", "req-1", 'hello from cf {"n":1}'],
      ["exception", "req-1", "Error: kaboom"],
      ["request", "req-1", "GET /hello 200 3 ms"],
    ]);
  });

  it("reaches the logs API the CLI reads", async () => {
    const p = await livePulse();
    await tail([traceItem(p.script, undefined, "seen by the API")]);
    const res = await api("GET", `/v1/pulses/${p.name}/logs`, { token: await adminToken() });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain("seen by the API");
  });

  it("drops items that are not a pulse's namespace script, or whose tags name another pulse", async () => {
    const victim = await livePulse();
    const attacker = await livePulse();
    await tail([
      // A script of the attacker whose tags (were they ever forged) name the victim: not the victim's lines.
      traceItem(attacker.script, [`pulse:${victim.id}`], "forged into the victim"),
      // The victim's id with no version suffix, and an item from outside the namespace.
      traceItem(victim.id, [`pulse:${victim.id}`], "not a script name"),
      { ...traceItem(victim.script, undefined, "outside the namespace"), dispatchNamespace: undefined } as TraceItem,
    ]);
    expect(await logsOf(victim.id)).toEqual([]);
    expect(await logsOf(attacker.id)).toEqual([]);
    expect(pulseOfTrace({ scriptName: "pulse-dispatcher", scriptTags: [], dispatchNamespace: undefined })).toBeNull();
  });

  it("drops the lines of a pulse that no longer exists", async () => {
    const p = await livePulse();
    await env.DB.prepare("UPDATE pulses SET active_version_id = NULL WHERE id = ?1").bind(p.id).run();
    await env.DB.prepare("DELETE FROM pulses WHERE id = ?1").bind(p.id).run();
    await tail([traceItem(p.script, [`pulse:${p.id}`], "after deletion")]);
    expect(await logsOf(p.id)).toEqual([]);
  });

  it("holds a pulse to the log binding's line budget, so its flood does not fill the store it shares", async () => {
    const p = await livePulse();
    const flood = traceItem(p.script, undefined, "flood");
    const now = Date.now();
    flood.logs.push(
      ...Array.from({ length: MAX_LINES_PER_SECOND }, (_, i) => ({
        timestamp: now,
        level: "log",
        message: [`f-${i}`],
      })),
    );
    await tail([flood]);
    const newest = await logsOf(p.id);
    expect(newest.at(-1)?.message).toBe(
      `more than ${MAX_LINES_PER_SECOND} log lines in one second: the rest of this second's were dropped`,
    );
  });
});
