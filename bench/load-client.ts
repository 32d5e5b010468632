// A measured load generator in a process of its own. In the bench's process the client would share one event
// loop with everything else there: Miniflare's handling of every log line the runtime writes, the watchdog's
// probes and heap readings, and the abusers' clients. Their work then shows up as the measured pulses' latency.
// Run as `node load-client.ts '<json LoadRun>'`, it prints the run's figures as JSON.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

export interface LoadRun {
  url: string;
  /** Pulse names, called in turn; none: no Host header (a plain Worker on its own socket). */
  hosts: string[];
  /** Paths, one picked at random per request (default "/"). */
  paths?: string[];
  seconds: number;
  connections: number;
  /** Requests per second over all connections (undefined: as many as the runtime answers). */
  overallRate?: number;
}

export type RunFigures = {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
  statusCodes: Record<string, number>;
};

/**
 * autocannon round-robin over the given pulses' hosts. `overallRate` (requests per second over all connections)
 * offers a fixed load instead of as much as the runtime takes.
 */
export async function runOverPulses(
  url: URL,
  hosts: string[],
  seconds: number,
  connections: number,
  paths: string[] = ["/"],
  overallRate?: number,
) {
  let next = 0;
  const result = await autocannon({
    url: url.origin,
    connections,
    duration: seconds,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        setupRequest: (req: { headers?: Record<string, string> }) => {
          const i = next++;
          if (hosts.length)
            req.headers = { ...(req.headers ?? {}), host: `${hosts[i % hosts.length]}.pulses.localhost` };
          (req as { path?: string }).path = paths[Math.floor(Math.random() * paths.length)]!; // independent of the host
          return req;
        },
      },
    ],
  } as autocannon.Options);
  return figuresOf(result);
}

/** The figures every bench part reports, from one autocannon result. */
export function figuresOf(result: autocannon.Result): RunFigures {
  const statusCodes = Object.fromEntries(
    Object.entries((result as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {}).map(
      ([code, s]) => [code, s.count],
    ),
  );
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
    statusCodes,
  };
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
    run.paths,
    run.overallRate,
  );
  process.stdout.write(JSON.stringify(figures));
}
