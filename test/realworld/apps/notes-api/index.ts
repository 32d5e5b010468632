// A REST API as Hono's docs write one: routes, zod validation of the JSON body (@hono/zod-validator), notes
// kept in the pulse's KV. The pulse hands its request to the app.
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";

interface KV {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  list(options: { prefix: string }): Promise<{ keys: { name: string }[] }>;
}

const NoteInput = z.object({ title: z.string().min(1).max(100), body: z.string().max(1000).default("") });
type Note = z.infer<typeof NoteInput> & { id: string };

const app = new Hono<{ Bindings: { kv: KV } }>();

// The validator's hook shapes the 400 answer: which fields failed and why.
const validNote = zValidator("json", NoteInput, (result, c) => {
  if (!result.success)
    return c.json({ errors: result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) }, 400);
});

app.post("/notes", validNote, async (c) => {
  const note: Note = { id: crypto.randomUUID(), ...c.req.valid("json") };
  await c.env.kv.put(`note:${note.id}`, JSON.stringify(note));
  return c.json(note, 201);
});

app.get("/notes", async (c) => {
  const { keys } = await c.env.kv.list({ prefix: "note:" });
  const notes = await Promise.all(keys.map(async (k) => JSON.parse((await c.env.kv.get(k.name))!) as Note));
  return c.json(notes.sort((a, b) => a.title.localeCompare(b.title)));
});

app.get("/notes/:id", async (c) => {
  const text = await c.env.kv.get(`note:${c.req.param("id")}`);
  return text ? c.json(JSON.parse(text) as Note) : c.json({ error: "not found" }, 404);
});

app.delete("/notes/:id", async (c) => {
  await c.env.kv.delete(`note:${c.req.param("id")}`);
  return c.body(null, 204);
});

export default async function run(_input: unknown, env: { kv: KV }, ctx: { request: Request }) {
  return app.fetch(ctx.request, env);
}
