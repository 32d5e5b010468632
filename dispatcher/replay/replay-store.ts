// One pulse's recorded invocations for shadow replay: a SQLite Durable Object holding the newest N (the plan's
// replayInvocations), appended in batches by the dispatcher and read back, oldest first, by a preview.

import { DurableObject } from "cloudflare:workers";
import type { RecordedInvocation } from "../../platform/replay.ts";

export class PulseReplayStore extends DurableObject {
  #ready = false;

  #schema(): void {
    if (this.#ready) return;
    this.ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS invocations (id INTEGER PRIMARY KEY AUTOINCREMENT, recorded_at INTEGER NOT NULL, data TEXT NOT NULL)`,
    );
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

  /** The newest `limit` invocations, oldest first: the order the live version saw them. */
  list(limit: number): RecordedInvocation[] {
    this.#schema();
    return this.ctx.storage.sql
      .exec(`SELECT id, data FROM invocations ORDER BY id DESC LIMIT ?`, Math.max(0, limit))
      .toArray()
      .reverse()
      .map((r) => ({ ...(JSON.parse(r.data as string) as RecordedInvocation), id: r.id as number }));
  }

  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.#ready = false;
  }
}
