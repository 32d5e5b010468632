// A GitHub webhook receiver, as GitHub's docs describe one: check X-Hub-Signature-256 (an HMAC-SHA256 of the raw
// body under the webhook's secret) before anything else, then record the delivery. The pulse never holds the
// secret: env.crypto checks the signature with it (the secret is set with `pulse secrets set ... --sign`).
import { Hono } from "hono";

interface Env {
  kv: {
    get(key: string): Promise<string | null>;
    put(key: string, value: string): Promise<void>;
  };
  secrets: Record<string, string>;
  crypto: {
    verifyHmac(
      secret: string,
      data: string,
      signature: string,
      options: { hash: "SHA-256"; encoding: "hex" },
    ): Promise<boolean>;
  };
}

interface Delivery {
  id: string;
  event: string;
  action: string | null;
  bytes: number;
}

const app = new Hono<{ Bindings: Env }>();

app.post("/webhook", async (c) => {
  const body = await c.req.text();
  const signature = c.req.header("x-hub-signature-256") ?? "";
  const valid =
    signature.startsWith("sha256=") &&
    (await c.env.crypto.verifyHmac(c.env.secrets.WEBHOOK_SECRET!, body, signature.slice("sha256=".length), {
      hash: "SHA-256",
      encoding: "hex",
    }));
  if (!valid) return c.json({ error: "signature does not match" }, 401);

  const payload = c.req.header("content-type")?.startsWith("application/json")
    ? (JSON.parse(body) as { action?: string })
    : null;
  const delivery: Delivery = {
    id: c.req.header("x-github-delivery") ?? "",
    event: c.req.header("x-github-event") ?? "",
    action: payload?.action ?? null,
    bytes: new TextEncoder().encode(body).byteLength,
  };
  const seen = JSON.parse((await c.env.kv.get("deliveries")) ?? "[]") as Delivery[];
  await c.env.kv.put("deliveries", JSON.stringify([...seen, delivery].slice(-100)));
  return c.json({ received: delivery.id }, 202);
});

app.get("/deliveries", async (c) => c.json(JSON.parse((await c.env.kv.get("deliveries")) ?? "[]") as Delivery[]));

export default async function run(_input: unknown, env: Env, ctx: { request: Request }) {
  return app.fetch(ctx.request, env);
}
