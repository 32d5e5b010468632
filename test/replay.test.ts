// Shadow replay from the developer's side: the live version's invocations are recorded (without credentials
// or secret values), a changed handler is replayed against them and the preview names exactly the outputs
// that change and the plan limit it would exceed, while the live pulse's KV and SQL stay as they were; and
// nobody else can preview someone's pulse.

import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { RecordedInvocation } from "../platform/replay.ts";
import { RECORDED_BODY_BYTES } from "../platform/replay-limits.ts";
import { adminToken, api, newTenant, type TestTenant } from "./support/control.ts";
import { callHost, uniqueName } from "./support/pulses.ts";
import { allKvKeys } from "./support/whole-store.ts";

interface LivePulse {
  name: string;
  id: string;
  tenant: TestTenant;
  live: string;
}

/** Creates a pulse through the control API and makes `source` live (built by the control plane). */
async function livePulse(plan: string, source: string): Promise<LivePulse> {
  const tenant = await newTenant(plan);
  const name = uniqueName("replay");
  const created = await api("POST", "/v1/pulses", { token: tenant.token, body: { name } });
  expect(created.status).toBe(201);
  return { name, id: created.body.id, tenant, live: await upload({ name, tenant } as LivePulse, source, true) };
}

async function upload(pulse: Pick<LivePulse, "name" | "tenant">, source: string, deploy: boolean): Promise<string> {
  const res = await api("POST", `/v1/pulses/${pulse.name}/versions`, {
    token: pulse.tenant.token,
    body: { files: { "index.ts": source }, main: "index.ts", deploy },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.version.id;
}

function call(pulse: LivePulse, path: string, init: RequestInit = {}): Promise<Response> {
  return callHost(`${pulse.name}.pulses.localhost`, path, init);
}

const postJson = (pulse: LivePulse, input: unknown, headers: Record<string, string> = {}) =>
  call(pulse, "/", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(input),
  });

/** Recordings reach the store in batches after the response: wait (bounded) until `done` holds of them. */
async function recordingsUntil(
  pulse: LivePulse,
  done: (list: RecordedInvocation[]) => boolean,
  what = "the awaited invocation",
): Promise<RecordedInvocation[]> {
  let list: RecordedInvocation[] = [];
  for (let i = 0; i < 100; i++) {
    list = (await env.PULSE_REPLAY.getByName(pulse.id).list(1000)) as RecordedInvocation[];
    if (done(list)) return list;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} was not recorded: ${list.length} recordings`);
}

/** Waits until at least `count` invocations are recorded. */
const recordings = (pulse: LivePulse, count: number) =>
  recordingsUntil(pulse, (list) => list.length >= count, `${count} invocations`);

const preview = (pulse: LivePulse, versionId: string, token = pulse.tenant.token) =>
  api("POST", `/v1/pulses/${pulse.name}/versions/${versionId}/preview`, { token });

// v1 reads a KV key, calls an upstream once with a secret reference, and doubles n.
const V1 = `
export default async function run(input: { n: number }, env: any) {
  const seen = await env.kv.get("seen");
  const res = await fetch("https://upstream.test/echo?n=" + input.n, { headers: { authorization: "Bearer " + env.secrets.API_KEY } });
  const echoed: any = await res.json();
  return { n: input.n, double: input.n * 2, seen, upstreamSawPath: new URL(echoed.url).search };
}
`;
// v2 triples multiples of 5, writes a key of its own, and fans out to 6 more requests when n >= 17.
const V2 = `
export default async function run(input: { n: number }, env: any) {
  const seen = await env.kv.get("seen");
  await env.kv.put("candidate-wrote", String(input.n));
  const res = await fetch("https://upstream.test/echo?n=" + input.n, { headers: { authorization: "Bearer " + env.secrets.API_KEY } });
  const echoed: any = await res.json();
  if (input.n >= 17) for (let i = 0; i < 6; i++) await fetch("https://upstream.test/echo?n=" + input.n + "&i=" + i);
  return { n: input.n, double: input.n % 5 === 0 ? input.n * 3 : input.n * 2, seen, upstreamSawPath: new URL(echoed.url).search };
}
`;
const SECRET_VALUE = "sk_live_replay_Secret_4242";

describe("shadow replay on free (20 invocations kept, 5 subrequests)", () => {
  let pulse: LivePulse;
  let candidate: string;
  let records: RecordedInvocation[];

  beforeAll(async () => {
    pulse = await livePulse("free", V1);
    const put = await api("PUT", `/v1/pulses/${pulse.name}/secrets/API_KEY`, {
      token: pulse.tenant.token,
      body: { value: SECRET_VALUE, hosts: ["upstream.test"] },
    });
    expect(put.status).toBe(200);
    await env.PULSE_KV.put(`vibe:${pulse.id}:seen`, "live-value");
    // 22 calls: the plan keeps the newest 20 (n = 0..19).
    for (let n = -2; n < 20; n++) {
      const res = await postJson(
        pulse,
        { n },
        { authorization: "Bearer end-user-token-abc", cookie: "sid=end-user-session", "x-api-key": "end-user-api-key" },
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ n, double: n * 2, seen: "live-value" });
    }
    records = await recordings(pulse, 20);
    candidate = await upload(pulse, V2, false);
  }, 60_000);

  it("keeps the newest N with request, answer, timing and the upstream's answers, and no credential or secret value", async () => {
    // Wait for the last call's batch (n = 19), then check the bound held.
    records = await recordingsUntil(pulse, (list) => list.at(-1)?.request.body?.text === JSON.stringify({ n: 19 }));
    expect(records).toHaveLength(20);
    expect(records.map((r) => JSON.parse(r.request.body!.text!).n)).toEqual([...Array(20).keys()]);
    const first = records[0]!;
    expect(first).toMatchObject({
      versionId: pulse.live,
      request: { method: "POST", path: "/" },
      response: { status: 200 },
      subrequests: 1,
    });
    expect(JSON.parse(first.response.body!.text!)).toMatchObject({ n: 0, double: 0, seen: "live-value" });
    expect(first.exchanges).toHaveLength(1);
    expect(first.exchanges[0]).toMatchObject({ method: "GET", url: "https://upstream.test/echo?n=0", status: 200 });
    expect(first.request.dropped).toEqual(expect.arrayContaining(["authorization", "cookie", "x-api-key"]));
    const names = first.request.headers.map(([name]) => name);
    expect(names).toContain("content-type");
    expect(names).not.toContain("authorization");
    const stored = JSON.stringify(records);
    for (const credential of ["end-user-token-abc", "end-user-session", "end-user-api-key", SECRET_VALUE])
      expect(stored).not.toContain(credential);
    // The upstream echoed the substituted header: what was kept is the redacted answer the pulse got.
    expect(first.exchanges[0]!.body!.text).toContain("authorization");
  }, 30_000);

  it("reports exactly the changed outputs and the subrequest overrun, and leaves the live data untouched", async () => {
    const res = await preview(pulse, candidate.slice(0, 12));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const report = res.body;
    expect(report).toMatchObject({
      pulse: pulse.name,
      plan: "free",
      liveVersionId: pulse.live,
      candidateVersionId: candidate,
    });
    expect(report.isolation).toMatchObject({ kvKeysCopied: 1, kvCopyComplete: true });
    expect(report.summary).toMatchObject({ inputs: 20, replayed: 20, changed: 3, unchanged: 17, candidateErrors: 0 });
    expect(report.summary.messages).toContain("this version would exceed free's 5 subrequests on 3 of 20 inputs");
    expect(report.summary.overruns).toEqual([
      {
        limit: "subrequestsPerRequest",
        max: 5,
        inputs: 3,
        liveInputs: 0,
        message: "this version would exceed free's 5 subrequests on 3 of 20 inputs",
      },
    ]);

    const byN = new Map<number, any>(report.results.map((r: any) => [JSON.parse(r.live.body.text).n, r]));
    const changed = report.results.filter((r: any) => r.changed);
    expect(changed.map((r: any) => r.diff)).toEqual([
      [{ path: "body.double", live: 10, candidate: 15 }],
      [{ path: "body.double", live: 20, candidate: 30 }],
      [{ path: "body.double", live: 30, candidate: 45 }],
    ]);
    // The candidate read the copy of the live KV and got the recorded upstream answer.
    expect(JSON.parse(byN.get(3).candidate.body.text)).toEqual({
      n: 3,
      double: 6,
      seen: "live-value",
      upstreamSawPath: "?n=3",
    });
    expect(byN.get(3).candidate).toMatchObject({
      status: 200,
      subrequests: 1,
      kvOps: 2,
      error: null,
      unrecordedEgress: [],
    });
    for (const n of [17, 18, 19]) {
      const r = byN.get(n);
      expect(r.changed).toBe(false);
      expect(r.candidate.subrequests).toBe(7);
      expect(r.limits).toEqual([{ limit: "subrequestsPerRequest", used: 7, max: 5 }]);
      // Requests the live version never made were refused, not sent; the 6th and 7th hit the plan's limit.
      expect(r.candidate.unrecordedEgress).toEqual(
        [0, 1, 2, 3].map((i) => `GET https://upstream.test/echo?n=${n}&i=${i}`),
      );
    }
    expect(byN.get(16).limits).toEqual([]);

    // The live pulse's KV is as it was: nothing the candidate wrote, no copy left behind anywhere.
    expect(await env.PULSE_KV.get(`vibe:${pulse.id}:seen`)).toBe("live-value");
    expect((await env.PULSE_KV.list({ prefix: `vibe:${pulse.id}:` })).keys.map((k) => k.name)).toEqual([
      `vibe:${pulse.id}:seen`,
    ]);
    const everywhere = await allKvKeys();
    expect(everywhere.filter((k) => k.endsWith(":candidate-wrote"))).toEqual([]);
    // And it still serves v1.
    expect(await (await postJson(pulse, { n: 5 })).json()).toMatchObject({ double: 10 });
  }, 30_000);

  it("replays only the newest n inputs when asked, and refuses a bad n", async () => {
    // The previous test's last call (n = 5) is recorded in a batch after its answer: wait for it.
    await recordingsUntil(pulse, (list) => list.at(-1)?.request.body?.text === JSON.stringify({ n: 5 }));
    const res = await api("POST", `/v1/pulses/${pulse.name}/versions/${candidate}/preview`, {
      token: pulse.tenant.token,
      body: { inputs: 3 },
    });
    expect(res.status).toBe(200);
    // The newest three: 18, 19, and the n = 5 the previous test sent after its preview.
    expect(res.body.results.map((r: any) => JSON.parse(r.live.body.text).n)).toEqual([18, 19, 5]);
    expect(res.body.summary.messages).toEqual([
      "1 of 3 outputs would change",
      "this version would exceed free's 5 subrequests on 2 of 3 inputs",
    ]);
    const bad = await api("POST", `/v1/pulses/${pulse.name}/versions/${candidate}/preview`, {
      token: pulse.tenant.token,
      body: { inputs: 0 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_request");
  }, 30_000);

  it("is refused to another tenant, for a version of another pulse, and without a token", async () => {
    const other = await newTenant("free");
    const stranger = await preview(pulse, candidate, other.token);
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.code).toBe("pulse_not_found");
    // Nor can a pulse of another tenant name this pulse's version.
    const own = await livePulse("free", "export default async () => ({ mine: true });");
    const foreign = await api("POST", `/v1/pulses/${own.name}/versions/${candidate}/preview`, {
      token: own.tenant.token,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("version_not_found");
    expect((await api("POST", `/v1/pulses/${pulse.name}/versions/${candidate}/preview`, { token: null })).status).toBe(
      401,
    );
    const bad = await api("POST", `/v1/pulses/${pulse.name}/versions/not-a-version/preview`, {
      token: pulse.tenant.token,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_request");
  }, 30_000);
});

describe("shadow replay with env.db (pro)", () => {
  const READ = `
export default async function run(input: { k: string }, env: any) {
  const rows = await env.db.query("SELECT v FROM notes WHERE k = ?", [input.k]);
  return { k: input.k, v: rows[0]?.v ?? null };
}
`;
  const WRITE = `
export default async function run(input: { k: string }, env: any) {
  await env.db.query("INSERT INTO notes (k, v) VALUES (?, ?)", ["from-candidate-" + input.k, "x"]);
  await env.db.query("UPDATE notes SET v = 'changed' WHERE k = 'b'");
  const rows = await env.db.query("SELECT v FROM notes WHERE k = ?", [input.k]);
  const [{ n }] = await env.db.query("SELECT count(*) AS n FROM notes");
  return { k: input.k, v: rows[0]?.v ?? null, count: n };
}
`;

  it("runs the candidate on a copy of the live database and leaves the original as it was", async () => {
    const pulse = await livePulse("pro", READ);
    await env.PULSE_DB.getByName(pulse.id).exec(
      "CREATE TABLE notes (k TEXT PRIMARY KEY, v TEXT); INSERT INTO notes VALUES ('a', 'first'), ('b', 'second');",
    );
    for (const k of ["a", "b"])
      expect(await (await postJson(pulse, { k })).json()).toMatchObject({ k, v: k === "a" ? "first" : "second" });
    await recordings(pulse, 2);
    const candidate = await upload(pulse, WRITE, false);

    const res = await preview(pulse, candidate);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.isolation).toMatchObject({ sqlRowsCopied: 2, sqlCopyComplete: true });
    expect(res.body.summary).toMatchObject({ replayed: 2, changed: 2 });
    expect(res.body.results.map((r: any) => r.diff)).toEqual([
      [{ path: "body.count", candidate: 3 }],
      [
        { path: "body.v", live: "second", candidate: "changed" },
        { path: "body.count", candidate: 4 },
      ],
    ]);

    const live = await env.PULSE_DB.getByName(pulse.id).query("SELECT k, v FROM notes ORDER BY k", []);
    expect(live).toEqual([
      { k: "a", v: "first" },
      { k: "b", v: "second" },
    ]);
  }, 30_000);
});

describe("what is not kept", () => {
  it("drops and marks bodies over the bound, and credential-like query parameters", async () => {
    const pulse = await livePulse(
      "free",
      "export default async (input: any) => ({ size: JSON.stringify(input).length });",
    );
    const big = { blob: "x".repeat(RECORDED_BODY_BYTES + 10) };
    // Answers are read as a client would: the recording reads its copy of the body alongside.
    expect(await (await postJson(pulse, big)).json()).toEqual({ size: JSON.stringify(big).length });
    expect(
      (await (await call(pulse, "/search?page=2&access_token=qs-secret-123&q=shoes")).json<{ size: number }>()).size,
    ).toBeGreaterThan(0);
    const [large, query] = await recordings(pulse, 2);
    expect(large!.request.body).toMatchObject({ sha256: null, dropped: "too_large" });
    expect(large!.request.body!.text).toBeUndefined();
    expect(query!.request).toMatchObject({ method: "GET", path: "/search", query: "?page=2&q=shoes" });
    expect(query!.request.dropped).toContain("?access_token");
    expect(JSON.stringify(query)).not.toContain("qs-secret-123");

    // Replayed, the input whose body was dropped is marked; the one without its credential shows the difference.
    const res = await preview(pulse, pulse.live);
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ inputIncomplete: true, request: { method: "POST", path: "/" } });
    expect(res.body.results[1]).toMatchObject({
      inputIncomplete: false,
      request: { query: "?page=2&q=shoes", dropped: expect.arrayContaining(["?access_token"]) },
    });

    // Deleting the pulse deletes its recordings.
    expect((await api("DELETE", `/v1/pulses/${pulse.name}`, { token: pulse.tenant.token })).status).toBe(200);
    expect(await env.PULSE_REPLAY.getByName(pulse.id).list(1000)).toEqual([]);
  }, 30_000);

  it("records nothing on a plan without replayInvocations, and keeps what the plan says once set", async () => {
    const admin = await adminToken();
    const plan = uniqueName("plan").replace(/-/g, "").slice(0, 40);
    const free = (await api("GET", "/v1/admin/plans/free", { token: admin })).body.limits;
    const { replayInvocations: _, ...withoutReplay } = free;
    expect(
      (await api("POST", "/v1/admin/plans", { token: admin, body: { name: plan, limits: withoutReplay } })).status,
    ).toBe(201);
    const source = "export default async (input: any) => ({ echo: input });";
    const pulse = await livePulse(plan, source);
    const ask = async (p: LivePulse, q: string) =>
      expect(await (await call(p, `/?q=${q}`)).json()).toEqual({ echo: { q } });
    await ask(pulse, "before");
    // The control: the same code on free, asked after, is recorded; by then this pulse's batch would be in too.
    const control = await livePulse("free", source);
    await ask(control, "control");
    expect((await recordings(control, 1)).map((r) => r.request.query)).toEqual(["?q=control"]);
    expect(await env.PULSE_REPLAY.getByName(pulse.id).list(1000)).toEqual([]);
    const preview0 = await preview(pulse, pulse.live);
    expect(preview0.body.summary).toMatchObject({ inputs: 0, replayed: 0 });

    expect(
      (await api("PATCH", `/v1/admin/plans/${plan}`, { token: admin, body: { limits: { replayInvocations: 2 } } }))
        .status,
    ).toBe(200);
    for (const q of ["a", "b", "c"]) await ask(pulse, q);
    const kept = await recordingsUntil(pulse, (list) => list.at(-1)?.request.query === "?q=c");
    expect(kept.map((r) => r.request.query)).toEqual(["?q=b", "?q=c"]);
  }, 30_000);
});
