// A measured load generator in a process of its own. In the bench's process the client would share one event
// loop with everything else there: Miniflare's handling of every log line the runtime writes, the watchdog's
// probes and heap readings, and the abusers' clients. Their work then shows up as the measured pulses' latency.
// Run as `node load-client.ts '<json LoadRun>'`, it prints the run's figures as JSON.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runOverPulses, type RunFigures } from "./fleet.ts";

export interface LoadRun {
  url: string;
  hosts: string[];
  seconds: number;
  connections: number;
  /** Requests per second over all connections (undefined: as many as the runtime answers). */
  overallRate?: number;
}

const THIS_FILE = fileURLToPath(import.meta.url);

/** runOverPulses in a child process; resolves with its figures. */
export function runOverPulsesApart(run: LoadRun): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [THIS_FILE, JSON.stringify(run)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`load client exited with ${code}`));
      try {
        resolve(JSON.parse(out) as RunFigures);
      } catch {
        reject(new Error(`load client printed no figures: ${out.slice(0, 200)}`));
      }
    });
  });
}

if (process.argv[1] === THIS_FILE) {
  const run = JSON.parse(process.argv[2] ?? "") as LoadRun;
  const figures = await runOverPulses(
    new URL(run.url),
    run.hosts,
    run.seconds,
    run.connections,
    ["/"],
    run.overallRate,
  );
  process.stdout.write(JSON.stringify(figures));
}
