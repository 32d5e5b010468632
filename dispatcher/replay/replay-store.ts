// One pulse's recorded invocations for shadow replay: a SQLite Durable Object holding the newest N (the plan's
// replayInvocations), appended in batches by the dispatcher and read back, oldest first, by a preview. On
// Cloudflare the invocations' outgoing requests arrive separately, from the namespace's outbound Worker
// (outbound/replay-capture.ts), and are joined to their invocation by request id when listed.

import { DurableObject } from "cloudflare:workers";
import type { CapturedEgress, EgressSink } from "../../platform/egress-capture.ts";
import type { RecordedExchange, RecordedInvocation } from "../../platform/replay.ts";
import { EGRESS_ROWS_PER_KEPT_INVOCATION, MAX_EXCHANGES } from "../../platform/replay-limits.ts";

export class PulseReplayStore extends DurableObject implements EgressSink {
  #ready = false;

  #schema(): void {
    if (this.#ready) return;
    this.ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS invocations (id INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at INTEGER NOT NULL, data TEXT NOT NULL)`,
    );
    this.ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS egress (id INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL, count INTEGER NOT NULL, data TEXT NOT NULL)`,
    );
    this.ctx.storage.sql.exec(`CREATE INDEX IF NOT EXISTS egress_by_request ON egress (request_id)`);
    this.#ready = true;
  }

  /** Adds a batch and keeps only the newest `keep` (a plan change applies at the next append). */
  append(entries: RecordedInvocation[], keep: number): void {
    this.#schema();
    for (const e of entries) {
      this.ctx.storage.sql.exec(
        `INSERT INTO invocations (recorded_at, data) VALUES (?, ?)`,
        e.recordedAt,
        JSON.stringify(e),
      );
    }
    this.ctx.storage.sql.exec(
      `DELETE FROM invocations WHERE id <= (SELECT max(id) FROM invocations) - ?`,
      Math.max(0, keep),
    );
  }

  /** Outgoing requests captured by the outbound Worker, in batches; bounded by the plan's `keep`. */
  async appendEgress(entries: CapturedEgress[], keep: number): Promise<void> {
    this.#schema();
    for (const e of entries) {
      const exchanges = JSON.stringify(e.exchanges.slice(0, MAX_EXCHANGES));
      this.ctx.storage.sql.exec(
        `INSERT INTO egress (request_id, count, data) VALUES (?, ?, ?)`,
        e.requestId,
        e.count,
        exchanges,
      );
    }
    this.ctx.storage.sql.exec(
      `DELETE FROM egress WHERE id <= (SELECT max(id) FROM egress) - ?`,
      Math.max(0, keep) * EGRESS_ROWS_PER_KEPT_INVOCATION,
    );
  }

  /** The newest `limit` invocations, oldest first: the order the live version saw them. */
  list(limit: number): RecordedInvocation[] {
    this.#schema();
    return this.ctx.storage.sql
      .exec(`SELECT id, data FROM invocations ORDER BY id DESC LIMIT ?`, Math.max(0, limit))
      .toArray()
      .reverse()
      .map((r) => this.#withEgress({ ...(JSON.parse(r.data as string) as RecordedInvocation), id: r.id as number }));
  }

  /** The invocation with the outgoing requests captured apart from it (none on workerd), in arrival order. */
  #withEgress(invocation: RecordedInvocation): RecordedInvocation {
    const rows = this.ctx.storage.sql
      .exec(`SELECT count, data FROM egress WHERE request_id = ? ORDER BY id`, invocation.requestId)
      .toArray();
    if (rows.length === 0) return invocation;
    let { subrequests, exchanges } = invocation;
    for (const row of rows) {
      subrequests += row.count as number;
      exchanges = exchanges.concat(JSON.parse(row.data as string) as RecordedExchange[]);
    }
    return { ...invocation, subrequests, exchanges: exchanges.slice(0, MAX_EXCHANGES) };
  }

  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.#ready = false;
  }
}
