// A pulse's SQL database as a script that `wrangler d1 execute --file` (and plain sqlite3) accepts: tables,
// their rows as INSERTs, then indexes, triggers and views (after the rows, so triggers do not fire on the
import type { SqlDump } from "../../platform/data-plane-seam.ts";
// import and indexes are built once). No BEGIN/COMMIT: D1 refuses explicit transactions in a file.
// Bounded: once the script reaches maxBytes, rows stop (the schema is still complete) and `complete` says so.

export type { SqlDump };

interface SchemaRow {
  type: string;
  name: string;
  sql: string;
  [key: string]: SqlStorageValue;
}

// sqlite_* are SQLite's own; _cf_* are the Durable Object's (its KV API): neither belongs to the pulse.
const SCHEMA = `SELECT type, name, sql FROM sqlite_master
  WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND substr(name, 1, 4) != '_cf_'
  ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'trigger' THEN 2 ELSE 3 END, rowid`;

const encoder = new TextEncoder();

export function dumpDatabase(sql: SqlStorage, maxBytes: number): SqlDump {
  const schema = sql.exec<SchemaRow>(SCHEMA).toArray();
  const tables = schema.filter((s) => s.type === "table");
  const out: string[] = ["PRAGMA defer_foreign_keys = true;"];
  let bytes = out[0]!.length + 1;
  let rows = 0;
  let complete = true;
  const add = (statement: string) => {
    out.push(statement);
    bytes += encoder.encode(statement).byteLength + 1;
  };
  for (const table of tables) add(`${table.sql};`);
  for (const table of tables) {
    if (!complete) break;
    const cursor = sql.exec(`SELECT * FROM ${quoteIdentifier(table.name)}`);
    const columns = cursor.columnNames.map(quoteIdentifier).join(", ");
    for (const row of cursor.raw()) {
      const statement = `INSERT INTO ${quoteIdentifier(table.name)} (${columns}) VALUES (${row.map(sqlLiteral).join(", ")});`;
      if (bytes + encoder.encode(statement).byteLength + 1 > maxBytes) {
        complete = false;
        break;
      }
      add(statement);
      rows += 1;
    }
  }
  for (const other of schema.filter((s) => s.type !== "table")) add(`${other.sql};`);
  const text = `${out.join("\n")}\n`;
  return { sql: text, tables: tables.length, rows, bytes: encoder.encode(text).byteLength, complete };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A value as SQLite reads it back with the same type: NULL, integer/real, 'text', X'blob'. */
export function sqlLiteral(value: SqlStorageValue): string {
  if (value === null) return "NULL";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NULL"; // SQLite stores NaN as NULL
    if (!Number.isFinite(value)) return value > 0 ? "9e999" : "-9e999"; // SQLite reads these as +/-Inf
    return String(value);
  }
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  const bytes = new Uint8Array(value);
  return `X'${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}'`;
}
