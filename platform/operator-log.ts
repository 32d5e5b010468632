// Lines for whoever runs the platform (a request line per pulse request, an egress line per subrequest), written
// in batches: one console line per request cost the local platform about a third of its CPU per request
// (measured on the hello pulse: Miniflare parses every line workerd writes, in the supervisor's Node process).
// A batch goes out BATCH_MS after its first line, or at once at MAX_BATCH_LINES; each line is one JSON object,
// and a batch is those lines joined by newlines. Pulse logs are a different thing (dispatcher/logs/).

/** Long enough to gather a busy second's lines into a few writes, short enough for someone watching. */
export const BATCH_MS = 250;
export const MAX_BATCH_LINES = 200;

let pending: string[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  if (pending.length === 0) return;
  const lines = pending;
  pending = [];
  console.log(lines.join("\n"));
}

/** Queues one line; `ctx` keeps the invocation that opens a batch alive until it is written (without one, a
 * caller outside an invocation's reach, the line is written at once). */
export function writeOperatorLine(ctx: Pick<ExecutionContext, "waitUntil"> | undefined, line: object): void {
  if (!ctx) {
    console.log(JSON.stringify(line));
    return;
  }
  pending.push(JSON.stringify(line));
  if (pending.length >= MAX_BATCH_LINES) {
    flush();
    return;
  }
  if (scheduled) return;
  scheduled = true;
  ctx.waitUntil(new Promise<void>((resolve) => setTimeout(resolve, BATCH_MS)).then(flush));
}
