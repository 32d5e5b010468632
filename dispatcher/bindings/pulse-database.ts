// env.db on workerd: each pulse's SQL database is its own SQLite Durable Object (created on first use, no
// runtime restart, nothing shared). User code reaches it only through ScopedSQL, bound with the pulse id:
// the Durable Object namespace itself never enters a pulse's env.
//
// Chosen over a D1 database per pulse locally: adding a D1 to Miniflare means setOptions(), which restarts
// workerd (~140 ms, every tenant disturbed); a Durable Object per pulse is created on demand.

import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import { isValidId } from "../../platform/names.ts";
import { dumpDatabase, type SqlDump } from "./sql-dump.ts";
import {
  checkBatch,
  checkParams,
  checkSql,
  MAX_RESULT_BYTES,
  MAX_RESULT_ROWS,
  rowBytes,
  type SqlValue,
  type Statement,
} from "../../platform/sql-rules.ts";

export { MAX_BATCH, MAX_PARAMS, MAX_SQL_BYTES, type SqlValue, type Statement } from "../../platform/sql-rules.ts";

export class PulseDatabase extends DurableObject {
  query(sql: string, params: SqlValue[]): Record<string, SqlValue>[] {
    return readRows(this.ctx.storage.sql.exec(sql, ...params), true);
  }

  /** All statements in one transaction: all apply, or none. */
  batch(statements: Statement[]): Record<string, SqlValue>[][] {
    return this.ctx.storage.transactionSync(() => statements.map((s) => this.query(s.sql, s.params ?? [])));
  }

  /** Runs a script of statements (migrations): returns how many rows the last one produced. */
  exec(sql: string): { rowsRead: number; rowsWritten: number } {
    const cursor = this.ctx.storage.sql.exec(sql);
    readRows(cursor, false);
    return { rowsRead: cursor.rowsRead, rowsWritten: cursor.rowsWritten };
  }

  /** The whole database as a SQL script, for a standalone export (bounded by maxBytes). */
  dump(maxBytes: number): SqlDump {
    return dumpDatabase(this.ctx.storage.sql, maxBytes);
  }

  /** Runs a dump's script (a preview's throwaway copy of another pulse database), all or nothing. */
  restore(script: string): void {
    this.ctx.storage.transactionSync(() => this.ctx.storage.sql.exec(script).toArray());
  }

  /** When the pulse is deleted: every table and row goes. */
  async destroy(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}

/**
 * A statement's rows, read one at a time and refused at the first past MAX_RESULT_ROWS or MAX_RESULT_BYTES:
 * stepping stops there, so a statement that would return without end runs no further.
 */
function readRows(
  cursor: SqlStorageCursor<Record<string, SqlStorageValue>>,
  keep: boolean,
): Record<string, SqlValue>[] {
  const rows: Record<string, SqlValue>[] = [];
  let count = 0;
  let bytes = 0;
  for (const row of cursor as Iterable<Record<string, SqlValue>>) {
    bytes += rowBytes(row);
    if (++count > MAX_RESULT_ROWS || bytes > MAX_RESULT_BYTES) {
      throw new RangeError(
        `sql_result_too_large: a result is limited to ${MAX_RESULT_ROWS} rows and ${MAX_RESULT_BYTES} bytes`,
      );
    }
    if (keep) rows.push(row);
  }
  return rows;
}

export interface ScopedSQLProps {
  pulseId: string;
}

interface SqlEnv {
  PULSE_DB: DurableObjectNamespace<PulseDatabase>;
}

/** The RPC surface user code gets as env.db: checks arguments, then talks to this pulse's database only. */
export class ScopedSQL extends WorkerEntrypoint<SqlEnv, ScopedSQLProps> {
  #database() {
    const { pulseId } = this.ctx.props;
    if (!isValidId(pulseId)) throw new Error("ScopedSQL bound without a valid pulse id");
    return this.env.PULSE_DB.getByName(pulseId);
  }

  async query(sql: unknown, params?: unknown): Promise<Record<string, SqlValue>[]> {
    return this.#database().query(checkSql(sql), checkParams(params)) as Promise<Record<string, SqlValue>[]>;
  }

  async batch(statements: unknown): Promise<Record<string, SqlValue>[][]> {
    return this.#database().batch(checkBatch(statements)) as Promise<Record<string, SqlValue>[][]>;
  }

  async exec(sql: unknown): Promise<{ rowsRead: number; rowsWritten: number }> {
    return this.#database().exec(checkSql(sql));
  }
}
