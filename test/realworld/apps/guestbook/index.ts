// An HTML page with a form, the way Hono's docs render HTML: GET shows the entries and the form, POST stores
// the entry (form data) and redirects back with 303, so a reload does not post again. Hono's html helper
// escapes what visitors wrote.
import { Hono } from "hono";
import { html } from "hono/html";

interface KV {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
}

interface Entry {
  name: string;
  message: string;
}

const app = new Hono<{ Bindings: { kv: KV } }>();

const entries = async (kv: KV): Promise<Entry[]> => JSON.parse((await kv.get("entries")) ?? "[]") as Entry[];

app.get("/", async (c) => {
  const list = await entries(c.env.kv);
  return c.html(html`<!doctype html>
<html>
  <head><title>Guestbook</title></head>
  <body>
    <h1>Guestbook</h1>
    <ul>
      ${list.map((e) => html`<li><b>${e.name}</b>: ${e.message}</li>`)}
    </ul>
    <form method="post" action="/">
      <input name="name" required />
      <textarea name="message" required></textarea>
      <button>Sign</button>
    </form>
  </body>
</html>`);
});

app.post("/", async (c) => {
  const form = await c.req.parseBody();
  const name = String(form.name ?? "").trim();
  const message = String(form.message ?? "").trim();
  if (!name || !message) return c.text("name and message are required", 400);
  const list = await entries(c.env.kv);
  await c.env.kv.put("entries", JSON.stringify([...list, { name, message }].slice(-50)));
  return c.redirect("/", 303);
});

export default async function run(_input: unknown, env: { kv: KV }, ctx: { request: Request }) {
  return app.fetch(ctx.request, env);
}
