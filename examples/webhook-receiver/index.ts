// Receives GitHub webhooks and checks their X-Hub-Signature-256 with a secret the pulse never sees: set it with
//   pulse secrets set webhook-example GITHUB_WEBHOOK_SECRET --sign
// env.secrets.GITHUB_WEBHOOK_SECRET is a reference; env.crypto computes the HMAC with the value on the platform
// and compares it in constant time, so only "valid or not" comes back.
import type { PulseContext, PulseEnv } from "../../runtime-shim/contract.ts";

const json = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

export default async function run(_input: unknown, env: PulseEnv, ctx: PulseContext) {
  const secret = env.secrets.GITHUB_WEBHOOK_SECRET;
  if (!secret) return json({ error: "set the GITHUB_WEBHOOK_SECRET secret first" }, 503);
  // The signature covers the raw body, byte for byte: read it before any parsing.
  const body = await ctx.request.text();
  const header = ctx.request.headers.get("x-hub-signature-256") ?? "";
  const valid =
    header.startsWith("sha256=") &&
    (await env.crypto.verifyHmac(secret, body, header.slice("sha256=".length), { hash: "SHA-256", encoding: "hex" }));
  if (!valid) return json({ error: "signature does not match" }, 401);

  const event = ctx.request.headers.get("x-github-event") ?? "unknown";
  const payload = JSON.parse(body) as { action?: string };
  await env.kv.put(`last:${event}`, new Date().toISOString());
  return { received: event, action: payload.action ?? null };
}
