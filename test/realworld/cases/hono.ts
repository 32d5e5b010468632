// hono: a router app answering the pulse's request (Hono's docs: new Hono(), app.get, app.request).
import { Hono } from "hono";

const app = new Hono();
app.get("/books/:id", (c) => c.json({ id: c.req.param("id"), q: c.req.query("q") ?? null }));
app.notFound((c) => c.json({ missing: c.req.path }, 404));

export default async function run() {
  const found = await app.request("/books/42?q=dune");
  const missing = await app.request("/nope");
  return { found: [found.status, await found.json()], missing: [missing.status, await missing.json()] };
}
