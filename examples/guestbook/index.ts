// A guestbook app: public/ holds the page, its script and its style (served by the platform before run() is
// called); run() is the page's API under /api/ (pulse.json sets "runPrefix"), with the entries in KV.
// Try: pulse deploy examples/guestbook, then open http://guestbook-example.pulses.localhost:8787/
import type { PulseContext, PulseEnv } from "../../runtime-shim/contract.ts";

interface Entry {
  name: string;
  message: string;
  at: string;
}

const MAX_ENTRIES = 50; /* the page shows the latest fifty */

export default async function run(input: { name?: string; message?: string }, env: PulseEnv, ctx: PulseContext) {
  const path = new URL(ctx.request.url).pathname;
  if (path !== "/api/entries") return new Response("not found", { status: 404 });
  const entries = JSON.parse((await env.kv.get("entries")) ?? "[]") as Entry[];
  if (ctx.request.method === "GET") return { entries };
  if (ctx.request.method !== "POST") return new Response("method not allowed", { status: 405 });
  const name = String(input.name ?? "")
    .trim()
    .slice(0, 40);
  const message = String(input.message ?? "")
    .trim()
    .slice(0, 280);
  if (!name || !message)
    return new Response(JSON.stringify({ error: "name and message are required" }), { status: 400 });
  const entry = { name, message, at: new Date().toISOString() };
  await env.kv.put("entries", JSON.stringify([entry, ...entries].slice(0, MAX_ENTRIES)));
  return new Response(JSON.stringify(entry), { status: 201, headers: { "content-type": "application/json" } });
}
