// The demo pulse seeded by `npm start`: the counter from the design document.
export default async function run(_input: unknown, env: any) {
  const n = Number((await env.kv.get("counter")) ?? "0") + 1;
  await env.kv.put("counter", String(n), { expirationTtl: 3600 });
  if (env.db) await env.db.query("INSERT OR REPLACE INTO m (k, v) VALUES (?, ?)", ["counter", n]);
  return { ok: true, count: n };
}
