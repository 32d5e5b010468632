// Reads migrations/*.sql for Node-side runners and applies them with the platform's one applier.

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { unstable_splitSqlQuery } from "wrangler";
import { applyMigrations, type Migration } from "../platform/migrations.ts";
import type { PlatformDb } from "../platform/registry.ts";
import { ROOT } from "./workers.ts";

export async function readMigrations(dir = join(ROOT, "migrations")): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".sql")).sort();
  return Promise.all(
    names.map(async (name) => ({ name, queries: unstable_splitSqlQuery(await readFile(join(dir, name), "utf8")) })),
  );
}

export async function migrate(db: PlatformDb): Promise<string[]> {
  return applyMigrations(db, await readMigrations());
}
