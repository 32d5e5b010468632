// Drives the `kv` fixture: one env.kv call per request, made by user code inside the pulse.
import type { DeployedPulse } from "./pulses.ts";

export type KvOutcome = { ok: true; result: any } | { ok: false; error: { name: string; message: string } };

export async function kvCall(pulse: DeployedPulse, op: string, ...args: unknown[]): Promise<KvOutcome> {
  const res = await pulse.call("/", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ op, args }),
  });
  if (res.status !== 200) throw new Error(`kv fixture answered ${res.status}: ${await res.text()}`);
  return res.json<KvOutcome>();
}

export async function kvOk(pulse: DeployedPulse, op: string, ...args: unknown[]): Promise<any> {
  const outcome = await kvCall(pulse, op, ...args);
  if (!outcome.ok) throw new Error(`kv ${op} failed: ${outcome.error.message}`);
  return outcome.result;
}
