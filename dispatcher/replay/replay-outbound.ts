// Where a candidate version's fetch() lands during a preview: nothing leaves the platform. A request is
// answered with what the live version got for the same method and URL in the same recorded invocation (the
// n-th identical request gets the n-th answer), or refused with replay_egress_unrecorded. Subrequests are
// counted per replayed input against the plan's limit, exactly as the outbound gate counts live ones.

import { WorkerEntrypoint } from "cloudflare:workers";
import { errorResponse, REQUEST_ID_HEADER } from "../../platform/errors.ts";
import { bodyBytes, type RecordedExchange } from "../../platform/replay.ts";

export interface ReplayOutboundProps {
  runId: string;
}

/** One replayed input's outgoing requests: the recorded answers and what the candidate asked for. */
export interface InputEgress {
  exchanges: RecordedExchange[];
  used: boolean[];
  /** Outgoing requests the candidate made (answered, refused or over the limit). */
  count: number;
  /** "METHOD url" of requests the live version did not make, so there was nothing to answer them with. */
  unrecorded: string[];
}

interface ReplayRun {
  plan: string;
  subrequestLimit: number;
  inputs: Map<string, InputEgress>;
}

// The preview runner and this module share the dispatcher's isolate (a candidate in a runtime cell reaches it
// through the front's CellServices): the run is registered here while it lasts, keyed by the id the
// candidate's props carry (the sandbox's: 100 random bits).
const runs = new Map<string, ReplayRun>();

export function openRun(runId: string, run: ReplayRun): void {
  runs.set(runId, run);
}

export function closeRun(runId: string): void {
  runs.delete(runId);
}

/**
 * A candidate's fetch() during a preview: the recorded answer, or a refusal. The ReplayOutbound entrypoint for a
 * candidate in this process, and directly for one in a runtime cell (dispatcher/cell/services.ts).
 */
export function replayFetch(props: ReplayOutboundProps, request: Request): Response {
  const run = runs.get(props.runId);
  const input = run?.inputs.get(request.headers.get(REQUEST_ID_HEADER) ?? "");
  if (!run || !input)
    return errorResponse(
      "replay_egress_unrecorded",
      "Preview: this request is not part of a replayed input, and a preview sends nothing out",
    );
  input.count += 1;
  if (input.count > run.subrequestLimit) {
    return errorResponse(
      "subrequest_limit_exceeded",
      `This request made more than ${run.subrequestLimit} subrequests, the limit of plan ${run.plan}`,
    );
  }
  const index = input.exchanges.findIndex(
    (e, i) => !input.used[i] && e.method === request.method && e.url === request.url,
  );
  if (index === -1) {
    input.unrecorded.push(`${request.method} ${request.url}`);
    return errorResponse(
      "replay_egress_unrecorded",
      `Preview: the live version made no ${request.method} ${request.url} in this invocation, so there is no recorded answer; a preview sends nothing out`,
    );
  }
  input.used[index] = true;
  const recorded = input.exchanges[index]!;
  const headers = new Headers(recorded.contentType ? { "content-type": recorded.contentType } : {});
  const body = bodyBytes(recorded.body);
  if (recorded.body && !body) headers.set("x-pulse-replay-body", `dropped (${recorded.body.dropped})`);
  return new Response(nullBodyStatus(recorded.status) ? null : body, { status: recorded.status, headers });
}

export class ReplayOutbound extends WorkerEntrypoint<unknown, ReplayOutboundProps> {
  override async fetch(request: Request): Promise<Response> {
    return replayFetch(this.ctx.props, request);
  }

  /** Raw sockets: refused, as in live traffic. */
  override connect(): never {
    throw new Error("egress_denied: pulses cannot open raw sockets");
  }
}

function nullBodyStatus(status: number): boolean {
  return status === 101 || status === 204 || status === 205 || status === 304;
}
