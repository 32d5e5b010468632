// Pulses share log stores (dispatcher/logs/log-shard.ts): what one pulse's logs give away of another's in the
// same store. Each case uses two pulses hashed to the same store, as a tenant could arrange by creating pulses.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_LINES_PER_SECOND } from "../dispatcher/logs/line-budget.ts";
import { logShardOf } from "../dispatcher/logs/log-shard.ts";
import { MAX_ENTRIES, MAX_TAILS_PER_PULSE, type LogEntry } from "../dispatcher/logs/log-store.ts";
import type { LogEnv } from "../dispatcher/logs/log-tail.ts";
import { acceptedEntries } from "../dispatcher/logs/pulse-log.ts";
import { appendToStore } from "../dispatcher/logs/store-batches.ts";
import { MAX_LINES_PER_FLUSH, MAX_MESSAGE_BYTES } from "../platform/log-lines.ts";
import { newId } from "../platform/names.ts";
import { logsOf, storeOf } from "./support/pulse-logs.ts";

/** Two fresh pulse ids in one store. */
function neighbours(): [string, string] {
  const a = newId("p");
  for (;;) {
    const b = newId("p");
    if (logShardOf(b) === logShardOf(a)) return [a, b];
  }
}

const line = (message: string): LogEntry => ({ ts: Date.now(), level: "log", requestId: null, message });
const part = (pulseId: string, ...messages: string[]) => ({
  pulseId,
  retentionMs: 3_600_000,
  entries: messages.map(line),
});

/** What a tail stream delivers within `ms`. */
async function received(stream: ReadableStream<Uint8Array>, ms: number): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const until = Date.now() + ms;
  for (;;) {
    const wait = until - Date.now();
    if (wait <= 0) break;
    const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), wait))]);
    if (next === null || next.done) break;
    text += decoder.decode(next.value, { stream: true });
  }
  await reader.cancel().catch(() => {});
  return text;
}

describe("pulses sharing a log store", () => {
  it("reads back only the asking pulse's entries, numbered as if it were alone", async () => {
    const [a, b] = neighbours();
    const store = storeOf(a);
    await store.append([part(b, "b-1", "b-2", "b-3"), part(a, "a-1")]);
    await store.append([part(b, "b-4"), part(a, "a-2", "a-3")]);

    const ofA = await logsOf(a);
    expect(ofA.map((e) => e.message)).toEqual(["a-1", "a-2", "a-3"]);
    // Ids count a's own entries only: b's four lines leave no gap an attacker could measure them by.
    expect(ofA.map((e) => e.id)).toEqual([1, 2, 3]);
    expect((await logsOf(b)).map((e) => e.message)).toEqual(["b-1", "b-2", "b-3", "b-4"]);
    // Reading on from a's last id gives nothing of b's.
    expect(await store.read(a, 3, 100)).toEqual([]);
  });

  it("tails a pulse without its neighbour's lines", async () => {
    const [a, b] = neighbours();
    const store = storeOf(a);
    const tail = await store.subscribe(a);
    await store.append([part(b, "secret-of-b")]);
    await store.append([part(a, "line-of-a")]);
    const text = await received(tail, 500);
    expect(text).toContain("line-of-a");
    expect(text).not.toContain("secret-of-b");
  });

  it("drops a deleted pulse's entries and tails, and only its own", async () => {
    const [a, b] = neighbours();
    const store = storeOf(a);
    await store.append([part(a, "a-1"), part(b, "b-1")]);
    const tailOfB = await store.subscribe(b);
    await store.drop(a);
    await store.append([part(b, "b-2")]);

    expect(await logsOf(a)).toEqual([]);
    expect((await logsOf(b)).map((e) => e.message)).toEqual(["b-1", "b-2"]);
    expect(await received(tailOfB, 500)).toContain("b-2");
  });

  it("bounds each pulse's ring on its own: a chatty neighbour does not push out a quiet pulse's lines", async () => {
    const [quiet, chatty] = neighbours();
    const store = storeOf(quiet);
    await store.append([part(quiet, "kept")]);
    const batch = Array.from({ length: 100 }, (_, i) => `c-${i}`);
    for (let i = 0; i < MAX_ENTRIES / 100 + 2; i++) await store.append([part(chatty, ...batch)]);

    expect((await logsOf(quiet)).map((e) => e.message)).toEqual(["kept"]);
    const chattyLines = await logsOf(chatty, 10 * MAX_ENTRIES);
    expect(chattyLines.length).toBeLessThanOrEqual(MAX_ENTRIES + 100);
    expect(chattyLines.at(-1)?.id).toBe(MAX_ENTRIES + 200);
  });

  it("refuses lines that arrive for a deleted pulse, so none outlive its deletion", async () => {
    const [a, b] = neighbours();
    const store = storeOf(a);
    await store.append([part(a, "a-1")]);
    await store.drop(a);
    // Lines still on their way when the pulse was deleted: an open batch, a request that was running.
    await store.append([part(a, "after-deletion"), part(b, "b-1")]);

    expect(await logsOf(a)).toEqual([]);
    expect((await logsOf(b)).map((e) => e.message)).toEqual(["b-1"]);
  });

  it("keeps a neighbour's lines when one pulse's part of the batch cannot be stored", async () => {
    const [a, b] = neighbours();
    // A part the store refuses (on Cloudflare: a row past its 2 MB limit), ahead of the neighbour's in the batch.
    const refused = { ...part(a, "a-1"), entries: [{ ...line("a-1"), message: null as unknown as string }] };
    await storeOf(a).append([refused, part(b, "b-1")]);

    expect((await logsOf(b)).map((e) => e.message)).toEqual(["b-1"]);
    expect(await logsOf(a)).toEqual([]);
  });

  it("keeps a neighbour's lines when a flood makes their shared batch larger than one store call carries", async () => {
    const [victim, attacker] = neighbours();
    const logEnv = env as unknown as LogEnv;
    const ctx = createExecutionContext();
    appendToStore(logEnv, ctx, { pulseId: victim, retentionMs: 3_600_000 }, [line("victim-line")]);
    // A second's worth of the attacker's raw log binding (pulse-log.ts): full-size lines with full-size stacks,
    // ~64 MiB, past the 32 MiB of an RPC call.
    const full = "x".repeat(MAX_MESSAGE_BYTES);
    const sent = Array.from({ length: MAX_LINES_PER_FLUSH }, () => ({
      ...line(full),
      level: "exception",
      data: { stack: full },
    }));
    for (let i = 0; i < MAX_LINES_PER_SECOND / MAX_LINES_PER_FLUSH; i++) {
      const entries = acceptedEntries(attacker, sent);
      appendToStore(logEnv, ctx, { pulseId: attacker, retentionMs: 3_600_000 }, entries);
    }
    await waitOnExecutionContext(ctx);

    expect((await logsOf(victim)).map((e) => e.message)).toEqual(["victim-line"]);
  });

  it("holds one pulse to a few live tails, so a crowd of them does not slow its neighbours' writes", async () => {
    const [a, b] = neighbours();
    const store = storeOf(a);
    const tails = await Promise.all(Array.from({ length: MAX_TAILS_PER_PULSE }, () => store.subscribe(a)));
    const oneMore = await store.subscribe(a);
    const tailOfB = await store.subscribe(b);
    await store.append([part(a, "a-1"), part(b, "b-1")]);

    expect(await received(oneMore, 500)).toContain("too_many_tails");
    expect(await received(tails[0]!, 500)).toContain("a-1");
    expect(await received(tailOfB, 500)).toContain("b-1");
    await Promise.all(tails.slice(1).map((t) => t.cancel()));
  });
});
