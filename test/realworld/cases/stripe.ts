// stripe: its fetch HTTP client creates a customer (form-encoded, sent to the test upstream's echo), and a
// webhook's signature is checked with the SDK's Web Crypto provider.
import Stripe from "stripe";

let sentTo = "";
const stripe = new Stripe("sk_test_123", {
  httpClient: Stripe.createFetchHttpClient((url, init) => {
    sentTo = String(url);
    return fetch("https://upstream.test/echo", init);
  }),
  maxNetworkRetries: 0,
});

async function signature(payload: string, secret: string, timestamp: number): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${timestamp}.${payload}`)),
  );
  return `t=${timestamp},v1=${Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export default async function run() {
  const echo = (await stripe.customers.create({ email: "ada@example.com", metadata: { plan: "pro" } })) as unknown as {
    method: string;
    body: string;
    headers: Record<string, string>;
  };
  const payload = JSON.stringify({
    id: "evt_1",
    object: "event",
    type: "customer.created",
    data: { object: { id: "cus_1" } },
  });
  const now = Math.floor(Date.now() / 1000);
  const provider = Stripe.createSubtleCryptoProvider();
  const event = await stripe.webhooks.constructEventAsync(
    payload,
    await signature(payload, "whsec_test", now),
    "whsec_test",
    undefined,
    provider,
  );
  const forged = await stripe.webhooks
    .constructEventAsync(payload, await signature(payload, "whsec_other", now), "whsec_test", undefined, provider)
    .then(
      () => "accepted",
      (e: Error) => e.constructor.name,
    );
  return {
    sentTo,
    method: echo.method,
    form: Object.fromEntries(new URLSearchParams(echo.body)),
    authorization: echo.headers.authorization,
    event: event.type,
    forged,
  };
}
