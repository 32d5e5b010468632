// Shadow replay on the Cloudflare path (dispatch-namespace project only): the live version runs in the namespace
// stand-in, its subrequests are captured by the namespace's outbound Worker (outbound/worker.ts, an isolate
// apart on Cloudflare) and sent to the pulse's replay store, which joins them to the invocation the dispatcher
// recorded; a preview then runs the candidate in the dispatcher's Worker Loader, answered from those captures.

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { NAMESPACE_SQL_NOT_COPIED } from "../dispatcher/hosts/namespace-sandbox.ts";
import { scriptNameFor } from "../platform/namespace-script.ts";
import type { RecordedExchange, RecordedInvocation } from "../platform/replay.ts";
import { MAX_EXCHANGES } from "../platform/replay-limits.ts";
import { dispatchesOf } from "./support/dispatch-namespace-stand-in.ts";
import { api, newTenant, type TestTenant } from "./support/control.ts";
import { callHost, uniqueName } from "./support/pulses.ts";

interface LivePulse {
  name: string;
  id: string;
  tenant: TestTenant;
  live: string;
}

const SECRET_VALUE = "sk_live_namespace_replay_7311";

/** A pulse on `plan` with an API_KEY secret for upstream.test, `source` deployed (uploaded to the namespace). */
async function livePulse(plan: string, source: string): Promise<LivePulse> {
  const tenant = await newTenant(plan);
  const name = uniqueName("nsreplay");
  const created = await api("POST", "/v1/pulses", { token: tenant.token, body: { name } });
  expect(created.status).toBe(201);
  // Before the deploy: on Cloudflare a pulse's secret references are part of its upload.
  const put = await api("PUT", `/v1/pulses/${name}/secrets/API_KEY`, {
    token: tenant.token,
    body: { value: SECRET_VALUE, hosts: ["upstream.test"] },
  });
  expect(put.status).toBe(200);
  const pulse = { name, id: created.body.id, tenant, live: "" };
  pulse.live = await upload(pulse, source, true);
  return pulse;
}

async function upload(pulse: LivePulse, source: string, deploy: boolean): Promise<string> {
  const res = await api("POST", `/v1/pulses/${pulse.name}/versions`, {
    token: pulse.tenant.token,
    body: { files: { "index.ts": source }, main: "index.ts", deploy },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.version.id;
}

const postJson = (pulse: LivePulse, input: unknown) =>
  callHost(`${pulse.name}.pulses.localhost`, "/", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer end-user-token-ns" },
    body: JSON.stringify(input),
  });

/** Recordings and captured subrequests reach the store in separate batches: wait (bounded) until `done`. */
async function recordingsUntil(
  pulseId: string,
  done: (list: RecordedInvocation[]) => boolean,
): Promise<RecordedInvocation[]> {
  let list: RecordedInvocation[] = [];
  for (let i = 0; i < 100; i++) {
    list = (await env.PULSE_REPLAY.getByName(pulseId).list(1000)) as RecordedInvocation[];
    if (done(list)) return list;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not recorded as awaited: ${JSON.stringify(list.map((r) => [r.subrequests, r.exchanges.length]))}`);
}

// v1 calls an upstream once with a secret reference and doubles n.
const V1 = `
export default async function run(input: { n: number }, env: any) {
  const res = await fetch("https://upstream.test/echo?n=" + input.n, { headers: { authorization: "Bearer " + env.secrets.API_KEY } });
  const echoed: any = await res.json();
  return { n: input.n, double: input.n * 2, upstreamSawPath: new URL(echoed.url).search };
}
`;
// v2 triples multiples of 5 and fans out to 6 more requests when n >= 4 (free allows 5 subrequests).
const V2 = `
export default async function run(input: { n: number }, env: any) {
  const res = await fetch("https://upstream.test/echo?n=" + input.n, { headers: { authorization: "Bearer " + env.secrets.API_KEY } });
  const echoed: any = await res.json();
  if (input.n >= 4) for (let i = 0; i < 6; i++) await fetch("https://upstream.test/echo?n=" + input.n + "&i=" + i);
  return { n: input.n, double: input.n % 5 === 0 ? input.n * 3 : input.n * 2, upstreamSawPath: new URL(echoed.url).search };
}
`;

describe("shadow replay through the dispatch namespace", () => {
  it("records subrequests in the outbound Worker and previews a candidate in the Worker Loader", async () => {
    const pulse = await livePulse("free", V1);
    for (let n = 0; n < 6; n++) {
      const res = await postJson(pulse, { n });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ n, double: n * 2, upstreamSawPath: `?n=${n}` });
    }
    // The live version ran in the namespace, and its outbound Worker was told to capture for replay.
    const dispatched = dispatchesOf(scriptNameFor(pulse.id, pulse.live));
    expect(dispatched.length).toBeGreaterThanOrEqual(6);
    expect(dispatched.at(-1)!.options?.outbound).toMatchObject({ pulseId: pulse.id, plan: "free", replayKeep: 20 });

    const records = await recordingsUntil(
      pulse.id,
      (list) => list.length === 6 && list.every((r) => r.exchanges.length === 1),
    );
    records.forEach((record, n) => {
      expect(record).toMatchObject({ versionId: pulse.live, response: { status: 200 }, subrequests: 1 });
      expect(record.exchanges[0]).toMatchObject({
        method: "GET",
        url: `https://upstream.test/echo?n=${n}`,
        status: 200,
      });
    });
    // The upstream echoed the substituted header: what was kept is the redacted answer the pulse got.
    expect(records[0]!.exchanges[0]!.body!.text).toContain("authorization");
    const stored = JSON.stringify(records);
    for (const credential of [SECRET_VALUE, "end-user-token-ns"]) expect(stored).not.toContain(credential);

    const candidate = await upload(pulse, V2, false);
    const res = await api("POST", `/v1/pulses/${pulse.name}/versions/${candidate}/preview`, {
      token: pulse.tenant.token,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const report = res.body;
    expect(report).toMatchObject({ liveVersionId: pulse.live, candidateVersionId: candidate });
    expect(report.summary).toMatchObject({ inputs: 6, replayed: 6, changed: 1, candidateErrors: 0 });
    const byN = new Map<number, any>(report.results.map((r: any) => [JSON.parse(r.live.body.text).n, r]));
    // Answered from the outbound Worker's captures: the recorded upstream answer, nothing unrecorded.
    expect(JSON.parse(byN.get(3).candidate.body.text)).toEqual({ n: 3, double: 6, upstreamSawPath: "?n=3" });
    expect(byN.get(3).candidate).toMatchObject({ status: 200, subrequests: 1, unrecordedEgress: [] });
    expect(byN.get(5).diff).toEqual([{ path: "body.double", live: 10, candidate: 15 }]);
    expect(byN.get(4).limits).toEqual([{ limit: "subrequestsPerRequest", used: 7, max: 5 }]);
    // The live version still serves, from the namespace.
    expect(await (await postJson(pulse, { n: 5 })).json()).toMatchObject({ double: 10 });
  }, 60_000);

  it("says the live database was not copied, where a pulse's SQL is its own D1", async () => {
    const pulse = await livePulse("pro", `export default async function run() { return { ok: true }; }`);
    expect((await postJson(pulse, {})).status).toBe(200);
    await recordingsUntil(pulse.id, (list) => list.length === 1);
    const candidate = await upload(pulse, `export default async function run() { return { ok: 2 }; }`, false);
    const res = await api("POST", `/v1/pulses/${pulse.name}/versions/${candidate}/preview`, {
      token: pulse.tenant.token,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.isolation).toMatchObject({ sqlCopyComplete: false, sqlCopyError: NAMESPACE_SQL_NOT_COPIED });
    expect(res.body.summary).toMatchObject({ replayed: 1, changed: 1 });
  }, 60_000);

  it("keeps at most MAX_EXCHANGES captured subrequests per invocation and counts them all", async () => {
    const pulseId = `nsreplay-store-${Date.now().toString(36)}`;
    const store = env.PULSE_REPLAY.getByName(pulseId);
    const exchange = (i: number): RecordedExchange => ({
      method: "GET",
      url: `https://upstream.test/${i}`,
      status: 200,
      contentType: null,
      body: null,
    });
    const invocation: RecordedInvocation = {
      recordedAt: Date.now(),
      requestId: "req-1",
      versionId: "v",
      request: { method: "GET", path: "/", query: "", headers: [], dropped: [], body: null },
      response: { status: 200, contentType: null, body: null },
      wallMs: 1,
      subrequests: 0,
      exchanges: [],
    };
    await store.append([invocation], 1);
    // Three outbound batches of one invocation (three isolates or flushes), and one of another request.
    const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => exchange(from + i));
    await store.appendEgress(
      [
        { requestId: "req-1", count: 20, exchanges: batch(0, 20) },
        { requestId: "req-other", count: 1, exchanges: batch(100, 1) },
      ],
      1,
    );
    await store.appendEgress([{ requestId: "req-1", count: 20, exchanges: batch(20, 20) }], 1);
    await store.appendEgress([{ requestId: "req-1", count: 3, exchanges: [] }], 1);
    const [listed] = (await store.list(10)) as RecordedInvocation[];
    expect(listed!.subrequests).toBe(43);
    expect(listed!.exchanges.map((e) => e.url)).toEqual(batch(0, MAX_EXCHANGES).map((e) => e.url));
  });
});
