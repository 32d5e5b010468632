// A pulse's stored log entries, read as the logs API reads them (from its log store shard).

import { env } from "cloudflare:workers";
import type { LogEntry } from "../../dispatcher/logs/log-store.ts";
import { logStoreOf } from "../../dispatcher/logs/log-shard.ts";
import type { LogEnv } from "../../dispatcher/logs/log-tail.ts";

export const storeOf = (pulseId: string) => logStoreOf(env as unknown as LogEnv, pulseId);

export const logsOf = (pulseId: string, limit = 10_000): Promise<LogEntry[]> =>
  storeOf(pulseId).read(pulseId, 0, limit) as Promise<LogEntry[]>;
