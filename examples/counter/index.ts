// A visit counter per path, in the pulse's KV. Try: curl http://counter-example.pulses.localhost:8787/?page=home
import type { PulseEnv } from "../../runtime-shim/contract.ts";

export default async function run(input: { page?: string }, env: PulseEnv) {
  const key = `visits:${input.page ?? "home"}`;
  const visits = Number((await env.kv.get(key)) ?? "0") + 1;
  await env.kv.put(key, String(visits), { metadata: { updatedAt: Date.now() } });
  const pages = (await env.kv.list({ prefix: "visits:" })).keys.map((k) => k.name.slice("visits:".length));
  return { page: input.page ?? "home", visits, pages };
}
