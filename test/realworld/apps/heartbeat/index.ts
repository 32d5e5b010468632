// A scheduled job: every five minutes it records a heartbeat (with dayjs for the time's text) in KV; an HTTP
// request reads what the runs recorded.
import dayjs from "dayjs";
import utc from "dayjs/plugin/utc";

dayjs.extend(utc);

interface KV {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
}

interface Beat {
  runs: number;
  lastCron: string;
  lastTime: string;
}

export const schedule = "*/5 * * * *";

export async function scheduled(event: { cron: string; scheduledTime: number }, env: { kv: KV }) {
  const before = JSON.parse((await env.kv.get("heartbeat")) ?? '{"runs":0}') as Beat;
  const beat: Beat = {
    runs: before.runs + 1,
    lastCron: event.cron,
    lastTime: dayjs.utc(event.scheduledTime).format("YYYY-MM-DD HH:mm"),
  };
  await env.kv.put("heartbeat", JSON.stringify(beat));
  console.log(`heartbeat ${beat.runs} for ${beat.lastTime}`);
}

export default async function run(_input: unknown, env: { kv: KV }) {
  return JSON.parse((await env.kv.get("heartbeat")) ?? '{"runs":0}') as Beat;
}
