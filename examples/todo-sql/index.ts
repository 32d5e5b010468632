// A todo API on the pulse's own SQL database (plans with SQL, e.g. pro).
//   GET  /          list          POST /  {"title":"..."}  add
//   POST /done      {"id":1}      POST /delete  {"id":1}
import type { PulseContext, PulseEnv } from "../../runtime-shim/contract.ts";

interface Todo {
  id: number;
  title: string;
  done: number;
}

export default async function run(input: { title?: string; id?: number }, env: PulseEnv, ctx: PulseContext) {
  const db = env.db;
  if (!db) return new Response(JSON.stringify({ error: "this pulse needs a plan with SQL" }), { status: 501 });
  await db.exec(
    "CREATE TABLE IF NOT EXISTS todos (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0)",
  );
  const path = new URL(ctx.request.url).pathname;
  if (ctx.request.method === "POST" && path === "/") {
    if (!input.title) return new Response(JSON.stringify({ error: "title is required" }), { status: 400 });
    const [todo] = await db.query<Todo>("INSERT INTO todos (title) VALUES (?) RETURNING *", [input.title]);
    return new Response(JSON.stringify(todo), { status: 201, headers: { "content-type": "application/json" } });
  }
  if (ctx.request.method === "POST" && path === "/done")
    await db.query("UPDATE todos SET done = 1 WHERE id = ?", [Number(input.id)]);
  if (ctx.request.method === "POST" && path === "/delete")
    await db.query("DELETE FROM todos WHERE id = ?", [Number(input.id)]);
  return { todos: await db.query<Todo>("SELECT id, title, done FROM todos ORDER BY id") };
}
