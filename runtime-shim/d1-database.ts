// env.db on Cloudflare: the pulse's own D1 database is bound into its script (type d1) and adapted here to
// the PulseDB contract, with the same argument rules as on workerd. Only this pulse's database is bound, so
// the raw binding holds nothing of another tenant.

import type { PulseDB } from "./contract.ts";
import { checkBatch, checkParams, checkSql } from "../platform/sql-rules.ts";

type D1Like = Pick<D1Database, "prepare" | "batch" | "exec">;

export function d1PulseDB(db: D1Like): PulseDB {
  return Object.freeze({
    async query(sql: unknown, params?: unknown) {
      const { results } = await db
        .prepare(checkSql(sql))
        .bind(...checkParams(params))
        .all();
      return results;
    },
    async batch(statements: unknown) {
      const answers = await db.batch(checkBatch(statements).map((s) => db.prepare(s.sql).bind(...s.params)));
      return answers.map((a) => a.results as Record<string, unknown>[]);
    },
    async exec(sql: unknown) {
      // D1's exec reports statements run, not rows: the row counts of the workerd database are not available.
      await db.exec(checkSql(sql));
      return { rowsRead: 0, rowsWritten: 0 };
    },
  }) as unknown as PulseDB;
}
