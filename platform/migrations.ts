// Applies the platform's SQL migrations to a D1 database, in order, each migration in one batch (one
// transaction) with its bookkeeping row, so a crash never leaves a half-applied migration. Uses wrangler's
// `d1_migrations` table, so `wrangler d1 migrations apply` sees the same history in production.

import type { PlatformDb } from "./registry.ts";

export interface Migration {
  name: string;
  /** Statements, already split (wrangler's splitter on Node, readD1Migrations in tests). */
  queries: string[];
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS d1_migrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

/** Returns the names applied by this call. */
export async function applyMigrations(db: PlatformDb, migrations: Migration[]): Promise<string[]> {
  await db.batch([db.prepare(CREATE_TABLE)]);
  const { results } = await db.prepare("SELECT name FROM d1_migrations").all<{ name: string }>();
  const done = new Set(results.map((r) => r.name));
  const applied: string[] = [];
  for (const m of [...migrations].sort((a, b) => a.name.localeCompare(b.name))) {
    if (done.has(m.name)) continue;
    await db.batch([
      ...m.queries.map((q) => db.prepare(q)),
      db.prepare("INSERT INTO d1_migrations (name) VALUES (?1)").bind(m.name),
    ]);
    applied.push(m.name);
  }
  return applied;
}
