// What Cloudflare does with an uploaded script's `tail_consumers`, for the dispatch-namespace stand-in: the
// stand-in loads each script with this entrypoint as its tail, and this hands the script's TraceItems to the
// dispatcher's tail() the way Cloudflare delivers them to a consumer, with the script's name, tags and namespace
// set (workerd's own items name the loader's isolate instead).

import { WorkerEntrypoint } from "cloudflare:workers";
import dispatcher from "../../dispatcher/index.ts";
import type { DispatcherEnv } from "../../dispatcher/env.ts";

export interface NamespaceTailProps {
  scriptName: string;
  scriptTags: string[];
  dispatchNamespace: string;
}

export class NamespaceTailStandIn extends WorkerEntrypoint<DispatcherEnv, NamespaceTailProps> {
  override async tail(events: TraceItem[]): Promise<void> {
    const { scriptName, scriptTags, dispatchNamespace } = this.ctx.props;
    const delivered = events.map(
      (item) =>
        ({
          event: item.event,
          eventTimestamp: item.eventTimestamp,
          logs: item.logs,
          exceptions: item.exceptions,
          diagnosticsChannelEvents: item.diagnosticsChannelEvents,
          outcome: item.outcome,
          wallTime: item.wallTime,
          cpuTime: item.cpuTime,
          truncated: item.truncated,
          scriptName,
          scriptTags,
          dispatchNamespace,
        }) as unknown as TraceItem,
    );
    await dispatcher.tail!(delivered, this.env, this.ctx);
  }
}
