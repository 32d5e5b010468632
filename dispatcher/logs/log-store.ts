// One pulse's logs: a SQLite Durable Object holding a bounded ring (newest MAX_ENTRIES, nothing older than the
// plan's retention) and its live subscribers (`subscribe`: "tail" is a reserved handler name), who get each
// entry as a Server-Sent Event the moment it is appended. A subscriber that falls MAX_TAIL_BUFFER_BYTES
// behind is dropped: its stream ends with a `closed` event saying why, and nothing more is queued for it.

import { DurableObject } from "cloudflare:workers";
import type { LogEntry } from "../../platform/data-plane-seam.ts";
import { truncateMessage } from "../../platform/log-lines.ts";

export const MAX_ENTRIES = 2000; /* per pulse */
const TRIM_EVERY = 20; /* appends between trims: the ring may briefly hold a few batches more */
/** Unread bytes one live tail may hold: ~128 full-size entries, seconds of a busy pulse for a slow reader. */
export const MAX_TAIL_BUFFER_BYTES = 1024 * 1024; /* 1 MiB */

export type { LogEntry };

const encoder = new TextEncoder();
const TAILING = encoder.encode(": tailing\n\n");
const DROPPED_REASON = {
  reason: "tail_too_slow",
  message: `This tail fell more than ${MAX_TAIL_BUFFER_BYTES} bytes behind; reconnect and read on from the last id`,
};
const DROPPED = encoder.encode(`event: closed\ndata: ${JSON.stringify(DROPPED_REASON)}\n\n`);

/** One live tail: its stream's writer and the bytes written to it that its reader has not taken yet. */
interface Subscriber {
  writer: WritableStreamDefaultWriter<Uint8Array>;
  queued: number;
}

export class PulseLogStore extends DurableObject {
  #subscribers = new Set<Subscriber>();
  #appends = 0;
  #ready = false;

  #schema(): void {
    if (this.#ready) return;
    this.ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS logs (id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, level TEXT NOT NULL, request_id TEXT, message TEXT NOT NULL, data TEXT)`,
    );
    this.#ready = true;
  }

  append(entries: LogEntry[], retentionMs: number): void {
    this.#schema();
    const stored: LogEntry[] = [];
    for (const e of entries) {
      const message = truncateMessage(e.message);
      const cursor = this.ctx.storage.sql.exec(
        `INSERT INTO logs (ts, level, request_id, message, data) VALUES (?, ?, ?, ?, ?) RETURNING id`,
        e.ts,
        e.level,
        e.requestId,
        message,
        e.data ? JSON.stringify(e.data) : null,
      );
      stored.push({ ...e, message, id: cursor.one().id as number });
    }
    // Trimming scans the table: once per TRIM_EVERY appends is enough to keep it bounded.
    if (++this.#appends % TRIM_EVERY === 1) {
      this.ctx.storage.sql.exec(
        `DELETE FROM logs WHERE id <= (SELECT max(id) FROM logs) - ? OR ts < ?`,
        MAX_ENTRIES,
        Date.now() - retentionMs,
      );
    }
    if (this.#subscribers.size) {
      const chunk = encoder.encode(stored.map((e) => `id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`).join(""));
      for (const subscriber of this.#subscribers) this.#send(subscriber, chunk);
    }
  }

  /** Entries after `afterId`, oldest first, at most `limit`. */
  read(afterId: number, limit: number): LogEntry[] {
    this.#schema();
    return this.ctx.storage.sql
      .exec(
        `SELECT id, ts, level, request_id, message, data FROM logs WHERE id > ? ORDER BY id DESC LIMIT ?`,
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

  /** A live stream of Server-Sent Events: a comment right away, then every appended entry. */
  subscribe(): ReadableStream<Uint8Array> {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const subscriber: Subscriber = { writer: writable.getWriter(), queued: 0 };
    this.#subscribers.add(subscriber);
    subscriber.writer.closed.catch(() => this.#subscribers.delete(subscriber));
    this.#send(subscriber, TAILING);
    return readable;
  }

  /** Queues a chunk for one tail, or drops the tail if its reader is too far behind to take it. */
  #send(subscriber: Subscriber, chunk: Uint8Array): void {
    if (subscriber.queued + chunk.byteLength > MAX_TAIL_BUFFER_BYTES) {
      this.#subscribers.delete(subscriber);
      subscriber.writer.write(DROPPED).catch(() => {});
      subscriber.writer.close().catch(() => {});
      return;
    }
    // A write settles once the reader has taken the chunk (the stream's own queue holds one chunk at most).
    subscriber.queued += chunk.byteLength;
    subscriber.writer.write(chunk).then(
      () => (subscriber.queued -= chunk.byteLength),
      () => this.#subscribers.delete(subscriber),
    );
  }

  async destroy(): Promise<void> {
    for (const { writer } of this.#subscribers) writer.close().catch(() => {});
    this.#subscribers.clear();
    await this.ctx.storage.deleteAll();
    this.#ready = false;
  }
}
