// The security review's findings, each replayed from the attacker's side (a hostile pulse, or a developer
// setting what the data plane must then afford). Each test failed before its fix.

import { describe, expect, it } from "vitest";
import { MAX_TAIL_BUFFER_BYTES } from "../dispatcher/logs/log-store.ts";
import { MAX_SECRETS_PER_PULSE } from "../platform/secret-limits.ts";
import { storeOf } from "./support/pulse-logs.ts";
import { api, newTenant } from "./support/control.ts";
import { deployFixture, type DeployedPulse } from "./support/pulses.ts";

const post = (pulse: DeployedPulse, input: unknown) =>
  pulse.call("/", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) });

async function attack(pulse: DeployedPulse, input: Record<string, unknown>): Promise<any> {
  const res = await post(pulse, input);
  expect(res.status).toBe(200);
  return res.json();
}

async function putSecret(pulse: DeployedPulse, token: string, name: string, value: string, hosts = ["upstream.test"]) {
  return api("PUT", `/v1/pulses/${pulse.name}/secrets/${name}`, { token, body: { value, hosts } });
}

describe("finding 2: redaction CPU", () => {
  it("refuses a secret past the per-pulse count, and a value whose spellings are too costly to scan", async () => {
    const dev = await newTenant();
    const pulse = await deployFixture("review-attacks", { tenant: dev.name });
    for (let i = 0; i < MAX_SECRETS_PER_PULSE; i++)
      expect((await putSecret(pulse, dev.token, `KEY_${i}`, `value_${i}_abcdefgh`)).status).toBe(200);
    const over = await putSecret(pulse, dev.token, "ONE_TOO_MANY", "value_x_abcdefgh");
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe("secret_limit_reached");
    expect((await putSecret(pulse, dev.token, "KEY_0", "replaced_value_0")).status).toBe(200); // replacing is fine

    const other = await deployFixture("review-attacks", { tenant: dev.name });
    const quotes = await putSecret(other, dev.token, "QUOTES", '"<&>/'.repeat(1600));
    expect(quotes.status).toBe(413);
    expect(quotes.body.error.code).toBe("secret_too_large");
  });

  it("scans a 2 MiB answer of a pulse with the most secrets allowed in one pass", async () => {
    const dev = await newTenant();
    const pulse = await deployFixture("review-attacks", { tenant: dev.name });
    // The costliest values the limits accept: ~30 KiB of spellings each.
    await Promise.all(
      Array.from({ length: MAX_SECRETS_PER_PULSE }, async (_, i) => {
        const put = await putSecret(pulse, dev.token, `KEY_${i}`, `${i}${'a"b<c&d e/f'.repeat(25)}`);
        expect(put.status).toBe(200);
      }),
    );
    const started = Date.now();
    const res = await post(pulse, { attack: "big-answer", bytes: 2 * 1024 * 1024 });
    expect((await res.arrayBuffer()).byteLength).toBe(2 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe("finding 4: egress bodies counted as they stream", () => {
  it("refuses an endless outgoing body at the cap with 413 egress_body_too_large", async () => {
    const pulse = await deployFixture("review-attacks", { tenant: (await newTenant()).name });
    const started = Date.now();
    const result = await attack(pulse, { attack: "stream-egress" });
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error.code).toBe("egress_body_too_large");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("finding 8: a pulse that learned its secret cannot send it elsewhere", () => {
  it("refuses the value on its way to a host the secret is not allowed for, in the URL, a header or the body", async () => {
    const dev = await newTenant();
    const pulse = await deployFixture("review-attacks", { tenant: dev.name });
    const value = "sk_live_learned_0123456789";
    expect((await putSecret(pulse, dev.token, "API_KEY", value)).status).toBe(200);
    const result = await attack(pulse, { attack: "learn-and-send" });
    // What holds regardless (SECURITY.md): an allowed host's gzipped echo reaches the pulse unredacted.
    expect(result.learnedLength).toBe(value.length);
    expect(result).toMatchObject({ viaUrl: 403, viaHeader: 403, viaBody: 403, toAllowedHost: 200 });
  });
});

describe("finding 9: KV puts of every type count against kvValueBytes", () => {
  it("refuses a streamed value past the free plan's limit and stores nothing", async () => {
    const pulse = await deployFixture("review-attacks", { tenant: (await newTenant("free")).name });
    const put = await attack(pulse, { attack: "kv-stream-put", bytes: 5 * 1024 * 1024 });
    expect(put.ok).toBe(false);
    expect(put.error).toMatch(/too large|limit/i);
    expect(await attack(pulse, { attack: "kv-size" })).toEqual({ ok: true, result: null });
    expect(await attack(pulse, { attack: "kv-stream-put", bytes: 1000 })).toMatchObject({ ok: true });
    expect(await attack(pulse, { attack: "kv-size" })).toEqual({ ok: true, result: 1000 });
  });

  it("refuses ArrayBuffer and typed-array values past the limit", async () => {
    const pulse = await deployFixture("review-attacks", { tenant: (await newTenant("free")).name });
    for (const kind of ["kv-buffer-put", "kv-view-put"]) {
      const put = await attack(pulse, { attack: kind, bytes: 2 * 1024 * 1024 });
      expect(put.ok, kind).toBe(false);
    }
    expect(await attack(pulse, { attack: "kv-size" })).toEqual({ ok: true, result: null });
  });
});

describe("finding 5: log tails that never read", () => {
  it("drops a tail that falls MAX_TAIL_BUFFER_BYTES behind, ending its stream with the reason", async () => {
    const pulseId = `tail${Date.now().toString(36)}`;
    const store = storeOf(pulseId);
    const stream = await store.subscribe(pulseId);
    // 3 MiB of log lines while nobody reads the tail.
    const line = { ts: Date.now(), level: "log" as const, requestId: null, message: "x".repeat(7 * 1024) };
    for (let i = 0; i < 40; i++)
      await store.append([{ pulseId, retentionMs: 3_600_000, entries: Array.from({ length: 11 }, () => line) }]);

    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = "";
    let ended = false;
    for (;;) {
      const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
      if (next === null) break; // nothing more arrives, and the stream is still open: the tail was kept
      if (next.done) {
        ended = true;
        break;
      }
      text += decoder.decode(next.value, { stream: true });
    }
    expect(ended).toBe(true);
    expect(text).toContain("event: closed");
    expect(text).toContain("tail_too_slow");
    expect(text.length).toBeLessThan(MAX_TAIL_BUFFER_BYTES + 64 * 1024);
  });
});

describe("finding 1: SQL without a time limit", () => {
  const sql = (pulse: DeployedPulse, op: string, text: string) =>
    post(pulse, { op, sql: text }).then((r) => r.json<any>());

  it("refuses a recursive CTE without a LIMIT before it runs, and runs one with a LIMIT", async () => {
    const pulse = await deployFixture("sql", { tenant: (await newTenant("pro")).name });
    for (const text of [
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c",
      "with c(x) as (select 1 union all select x+1 from c) select count(*) from c", // recursive without the keyword
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 100000000) SELECT count(*) FROM c",
    ]) {
      const started = Date.now();
      const out = await sql(pulse, "query", text);
      expect(out.ok, text).toBe(false);
      expect(out.error, text).toContain("sql_unbounded");
      expect(Date.now() - started).toBeLessThan(5000);
    }
    const bounded = await sql(
      pulse,
      "query",
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 1000) SELECT count(*) AS n FROM c",
    );
    expect(bounded).toMatchObject({ ok: true, result: [{ n: 1000 }] });
  });

  it("stops reading a result at MAX_RESULT_ROWS instead of materialising it", async () => {
    const pulse = await deployFixture("sql", { tenant: (await newTenant("pro")).name });
    const made = await sql(
      pulse,
      "exec",
      "CREATE TABLE t (x INTEGER); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 1000) INSERT INTO t SELECT x FROM c;",
    );
    expect(made.ok).toBe(true);
    const cross = await sql(pulse, "query", "SELECT a.x, b.x AS y FROM t a, t b"); // a million rows
    expect(cross.ok).toBe(false);
    expect(cross.error).toContain("sql_result_too_large");
  });
});
