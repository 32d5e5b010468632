// The pulses' logs: LOG_SHARDS SQLite Durable Objects (log-shard.ts says which pulse goes where), each holding,
// per pulse, a bounded ring (newest MAX_ENTRIES, nothing older than the plan's retention) and the pulse's live
// subscribers (`subscribe`: "tail" is a reserved handler name), who get each entry as a Server-Sent Event the
// moment it is appended. A subscriber that falls MAX_TAIL_BUFFER_BYTES behind is dropped: its stream ends with a
// `closed` event saying why, and nothing more is queued for it.
//
// Many pulses share a store because a store call per pulse per batch made the logs most of the cost of a request
// once traffic was spread over many pulses (bench fleet part: 1,000 pulses round-robin, 463 req/s with a store
// per pulse, 816 without request lines). Every method takes the pulse and touches only its rows and subscribers;
// ids are counted per pulse (their `sequences` row), so a pulse's ids say nothing of how much its neighbours log.

import { DurableObject } from "cloudflare:workers";
import type { LogEntry } from "../../platform/data-plane-seam.ts";
import { truncateMessage } from "../../platform/log-lines.ts";

export const MAX_ENTRIES = 2000; /* per pulse */
const TRIM_EVERY = 20; /* entries between a pulse's trims: its ring may briefly hold a few batches more */
/** Unread bytes one live tail may hold: ~128 full-size entries, seconds of a busy pulse for a slow reader. */
export const MAX_TAIL_BUFFER_BYTES = 1024 * 1024; /* 1 MiB */
/** Live tails of one pulse at once: its developers' terminals and sessions. Each costs the store a write per batch
 * of the pulse's lines, and the store serves other pulses too: a crowd of one pulse's tails would slow theirs. */
export const MAX_TAILS_PER_PULSE = 10;
/** The `last` of a deleted pulse's sequences row: lines still on their way (an open batch, a request running when
 * it was deleted) are refused instead of kept where nothing reads or trims them. Pulse ids are never reused. */
const DELETED_PULSE = -1;

export type { LogEntry };

/** One pulse's part of a batch: its entries, in order, and how long its plan keeps them. */
export interface PulseEntries {
  pulseId: string;
  retentionMs: number;
  entries: LogEntry[];
}

const encoder = new TextEncoder();
const TAILING = encoder.encode(": tailing\n\n");
/** The event that ends a tail, saying why. */
const closedEvent = (reason: string, message: string) =>
  encoder.encode(`event: closed\ndata: ${JSON.stringify({ reason, message })}\n\n`);
const DROPPED = closedEvent(
  "tail_too_slow",
  `This tail fell more than ${MAX_TAIL_BUFFER_BYTES} bytes behind; reconnect and read on from the last id`,
);
const TOO_MANY_TAILS = closedEvent(
  "too_many_tails",
  `This pulse has ${MAX_TAILS_PER_PULSE} live tails already; close one and tail again`,
);

/** One live tail: its stream's writer and the bytes written to it that its reader has not taken yet. */
interface Subscriber {
  writer: WritableStreamDefaultWriter<Uint8Array>;
  queued: number;
}

export class PulseLogStore extends DurableObject {
  /** Pulse id -> its live tails. */
  #subscribers = new Map<string, Set<Subscriber>>();
  #ready = false;

  #schema(): void {
    if (this.#ready) return;
    const { sql } = this.ctx.storage;
    sql.exec(
      `CREATE TABLE IF NOT EXISTS entries (pulse_id TEXT NOT NULL, id INTEGER NOT NULL, ts INTEGER NOT NULL, level TEXT NOT NULL, request_id TEXT, message TEXT NOT NULL, data TEXT, PRIMARY KEY (pulse_id, id)) WITHOUT ROWID`,
    );
    sql.exec(`CREATE TABLE IF NOT EXISTS sequences (pulse_id TEXT PRIMARY KEY, last INTEGER NOT NULL)`);
    this.#ready = true;
  }

  append(batch: PulseEntries[]): void {
    this.#schema();
    for (const part of batch) {
      if (!part.entries.length) continue;
      // Each part all or nothing, on its own: one pulse's part that cannot be stored costs its own lines only.
      try {
        this.ctx.storage.transactionSync(() => this.#appendFor(part));
      } catch (error) {
        console.error(`log append for ${part.pulseId} failed:`, error);
      }
    }
  }

  #appendFor({ pulseId, retentionMs, entries }: PulseEntries): void {
    const { sql } = this.ctx.storage;
    const [sequence] = sql
      .exec(
        `INSERT INTO sequences (pulse_id, last) VALUES (?1, ?2)
          ON CONFLICT (pulse_id) DO UPDATE SET last = last + ?2 WHERE last <> ?3 RETURNING last`,
        pulseId,
        entries.length,
        DELETED_PULSE,
      )
      .toArray();
    if (!sequence) return;
    const last = sequence.last as number;
    const first = last - entries.length + 1;
    const stored = entries.map((e, i): LogEntry => {
      const message = truncateMessage(e.message);
      sql.exec(
        `INSERT INTO entries (pulse_id, id, ts, level, request_id, message, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        pulseId,
        first + i,
        e.ts,
        e.level,
        e.requestId,
        message,
        e.data ? JSON.stringify(e.data) : null,
      );
      return { ...e, message, id: first + i };
    });
    // Trimming scans the pulse's rows: once per TRIM_EVERY of its entries is enough to keep it bounded.
    if (Math.floor(last / TRIM_EVERY) !== Math.floor((first - 1) / TRIM_EVERY) || first === 1) {
      sql.exec(
        `DELETE FROM entries WHERE pulse_id = ? AND (id <= ? OR ts < ?)`,
        pulseId,
        last - MAX_ENTRIES,
        Date.now() - retentionMs,
      );
    }
    const subscribers = this.#subscribers.get(pulseId);
    if (subscribers?.size) {
      const chunk = encoder.encode(stored.map((e) => `id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`).join(""));
      for (const subscriber of subscribers) this.#send(pulseId, subscriber, chunk);
    }
  }

  /** The pulse's entries after `afterId`, oldest first, at most `limit`. */
  read(pulseId: string, afterId: number, limit: number): LogEntry[] {
    this.#schema();
    return this.ctx.storage.sql
      .exec(
        `SELECT id, ts, level, request_id, message, data FROM entries WHERE pulse_id = ? AND id > ? ORDER BY id DESC LIMIT ?`,
        pulseId,
        afterId,
        limit,
      )
      .toArray()
      .reverse()
      .map((r) => ({
        id: r.id as number,
        ts: r.ts as number,
        level: r.level as LogEntry["level"],
        requestId: r.request_id as string | null,
        message: r.message as string,
        ...(r.data ? { data: JSON.parse(r.data as string) as Record<string, unknown> } : {}),
      }));
  }

  /** A live stream of Server-Sent Events: a comment right away, then every entry appended for the pulse. */
  subscribe(pulseId: string): ReadableStream<Uint8Array> {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const subscriber: Subscriber = { writer: writable.getWriter(), queued: 0 };
    let subscribers = this.#subscribers.get(pulseId);
    if (!subscribers) this.#subscribers.set(pulseId, (subscribers = new Set()));
    if (subscribers.size >= MAX_TAILS_PER_PULSE) {
      this.#end(subscriber, TOO_MANY_TAILS);
      return readable;
    }
    subscribers.add(subscriber);
    subscriber.writer.closed.catch(() => this.#unsubscribe(pulseId, subscriber));
    this.#send(pulseId, subscriber, TAILING);
    return readable;
  }

  #unsubscribe(pulseId: string, subscriber: Subscriber): void {
    const subscribers = this.#subscribers.get(pulseId);
    subscribers?.delete(subscriber);
    if (subscribers?.size === 0) this.#subscribers.delete(pulseId);
  }

  /** Queues a chunk for one tail, or drops the tail if its reader is too far behind to take it. */
  #send(pulseId: string, subscriber: Subscriber, chunk: Uint8Array): void {
    if (subscriber.queued + chunk.byteLength > MAX_TAIL_BUFFER_BYTES) {
      this.#unsubscribe(pulseId, subscriber);
      this.#end(subscriber, DROPPED);
      return;
    }
    // A write settles once the reader has taken the chunk (the stream's own queue holds one chunk at most).
    subscriber.queued += chunk.byteLength;
    subscriber.writer.write(chunk).then(
      () => (subscriber.queued -= chunk.byteLength),
      () => this.#unsubscribe(pulseId, subscriber),
    );
  }

  /** Ends a tail's stream with the event saying why. */
  #end(subscriber: Subscriber, closed: Uint8Array): void {
    subscriber.writer.write(closed).catch(() => {});
    subscriber.writer.close().catch(() => {});
  }

  /** A deleted pulse: its entries and its tails; its count is kept as DELETED_PULSE. */
  drop(pulseId: string): void {
    this.#schema();
    for (const { writer } of this.#subscribers.get(pulseId) ?? []) writer.close().catch(() => {});
    this.#subscribers.delete(pulseId);
    this.ctx.storage.sql.exec(`DELETE FROM entries WHERE pulse_id = ?`, pulseId);
    this.ctx.storage.sql.exec(
      `INSERT INTO sequences (pulse_id, last) VALUES (?1, ?2) ON CONFLICT (pulse_id) DO UPDATE SET last = ?2`,
      pulseId,
      DELETED_PULSE,
    );
  }
}
