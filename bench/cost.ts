// Where a request's CPU goes, by process: the dispatcher's workerd (routing, limits, the control plane's share),
// each runtime cell's (the pulse, its shim, its tail), and this Node process (the load generator, and Miniflare
// reading what workerd writes to stdout). CPU time per request is steadier than throughput on a busy machine,
// and it shows what a change costs even when another part of the machine is the bottleneck. Linux only (/proc).

import autocannon from "autocannon";
import { listenersOf, workerdChildren } from "../supervisor/process-memory.ts";

export interface CostRow {
  process: string;
  cpuMsPerRequest: number;
}

export interface CostTarget {
  name: string;
  url: string;
  host?: string;
  /** Names the workerd processes by pid (the rest are "other workerd"). */
  label: (pid: string, args: string[]) => string | undefined;
}

/** Names the process listening on `port` (by its socket) and the runtime cells (by their pids). */
export function processLabels(
  port: number,
  name: string,
  cells: readonly { index: number; pid(): number | undefined }[] = [],
): (pid: string, args: string[]) => string | undefined {
  const listener = new Set(listenersOf(port).map((c) => c.pid));
  return (pid) => {
    if (listener.has(pid)) return name;
    const cell = cells.find((c) => String(c.pid()) === pid);
    return cell ? `runtime cell ${cell.index}` : undefined;
  };
}

export async function measureCost(target: CostTarget, seconds: number, connections: number): Promise<CostRow[]> {
  if (process.platform !== "linux") return [];
  const run = () =>
    autocannon({
      url: target.url,
      connections,
      duration: seconds,
      headers: target.host ? { host: target.host } : {},
    });
  const ticks = () => new Map(workerdChildren().map((c) => [c.pid, { args: c.args, ticks: c.cpuTicks }]));
  const before = ticks();
  const node = process.cpuUsage();
  const result = await run();
  const spent = process.cpuUsage(node);
  const after = ticks();
  const requests = Math.max(1, result.requests.total);
  const byLabel = new Map<string, number>();
  for (const [pid, { args, ticks: t }] of after) {
    const label = target.label(pid, args) ?? "other workerd processes";
    const ms = (t - (before.get(pid)?.ticks ?? t)) * 10; // USER_HZ 100: a tick is 10 ms
    byLabel.set(label, (byLabel.get(label) ?? 0) + ms);
  }
  const rows = [...byLabel].map(([process, ms]) => ({ process, cpuMsPerRequest: ms / requests }));
  rows.push({
    process: "bench process (load generator, Miniflare's log reading)",
    cpuMsPerRequest: (spent.user + spent.system) / 1000 / requests,
  });
  return rows.filter((r) => r.cpuMsPerRequest >= 0.005);
}

export function formatCost(name: string, rows: readonly CostRow[]): string {
  const total = rows.reduce((sum, r) => sum + r.cpuMsPerRequest, 0);
  return [
    `  ${name}: ${total.toFixed(2)} CPU ms per request`,
    ...rows.map((r) => `    ${r.process.padEnd(58)} ${r.cpuMsPerRequest.toFixed(3)} ms`),
  ].join("\n");
}
