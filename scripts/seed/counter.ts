// The demo pulse seeded by `npm start`: the counter from the design document. On plans with SQL it also
// records the count in its own database (creating the table on first use).
export default async function run(_input: unknown, env: any) {
  const n = Number((await env.kv.get("counter")) ?? "0") + 1;
  await env.kv.put("counter", String(n), { expirationTtl: 3600 });
  if (env.db) {
    await env.db.exec("CREATE TABLE IF NOT EXISTS m (k TEXT PRIMARY KEY, v INTEGER)");
    await env.db.query("INSERT OR REPLACE INTO m (k, v) VALUES (?, ?)", ["counter", n]);
  }
  return { ok: true, count: n };
}
