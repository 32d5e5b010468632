// The argument rules of env.db, whatever database is behind it (a SQLite Durable Object on workerd, the
// pulse's D1 on Cloudflare): the same calls fail the same way on both.

import { unboundedRecursion } from "./sql-recursion.ts";

export const MAX_SQL_BYTES = 100_000; /* one statement or script */
export const MAX_PARAMS = 100;
export const MAX_BATCH = 100;
/**
 * Rows and bytes one statement may return: the Durable Object holding them runs in the platform's process, so
 * a result is read row by row and refused at the first row past either limit, before it is all in memory.
 */
export const MAX_RESULT_ROWS = 50_000;
export const MAX_RESULT_BYTES = 8 * 1024 * 1024; /* 8 MiB, counting strings by length and blobs by bytes */

export type SqlValue = string | number | boolean | null | ArrayBuffer;
export interface Statement {
  sql: string;
  params?: SqlValue[];
}

export function checkSql(sql: unknown): string {
  if (typeof sql !== "string" || sql.trim() === "") throw new TypeError("SQL must be a non-empty string");
  if (new TextEncoder().encode(sql).byteLength > MAX_SQL_BYTES)
    throw new RangeError(`SQL is limited to ${MAX_SQL_BYTES} bytes`);
  const unbounded = unboundedRecursion(sql);
  if (unbounded) throw new RangeError(`sql_unbounded: ${unbounded}`);
  return sql;
}

/** Size of one result row as MAX_RESULT_BYTES counts it. */
export function rowBytes(row: Record<string, SqlValue>): number {
  let bytes = 0;
  for (const key in row) {
    const v = row[key];
    bytes += key.length + (typeof v === "string" ? v.length : v instanceof ArrayBuffer ? v.byteLength : 8);
  }
  return bytes;
}

export function checkParams(params: unknown): SqlValue[] {
  if (params === undefined || params === null) return [];
  if (!Array.isArray(params) || params.length > MAX_PARAMS)
    throw new TypeError(`SQL params must be an array of at most ${MAX_PARAMS} values`);
  for (const p of params) {
    const ok =
      p === null ||
      typeof p === "string" ||
      typeof p === "number" ||
      typeof p === "boolean" ||
      p instanceof ArrayBuffer;
    if (!ok) throw new TypeError("SQL params may be strings, numbers, booleans, null or ArrayBuffers");
  }
  return params as SqlValue[];
}

export function checkBatch(statements: unknown): Required<Statement>[] {
  if (!Array.isArray(statements) || statements.length === 0 || statements.length > MAX_BATCH) {
    throw new TypeError(`db.batch takes an array of 1 to ${MAX_BATCH} { sql, params } statements`);
  }
  return statements.map((s: unknown) => {
    const { sql, params } = (s ?? {}) as { sql?: unknown; params?: unknown };
    return { sql: checkSql(sql), params: checkParams(params) };
  });
}
