// A preview's candidate keeps no log: its lines are not the pulse's. Its console must not reach the runtime's own
// output either, where every line is printed for the operator and the local watchdog reads the dispatcher's start
// lines: a candidate could write lines that pass for the platform's. Bound as the candidate's log, this entrypoint
// takes the lines the shim sends it (runtime-shim/log-capture.ts) and keeps none. Its one member is the call the
// shim makes (RPC reaches every public member of an entrypoint).

import { WorkerEntrypoint } from "cloudflare:workers";

export class CandidateLog extends WorkerEntrypoint {
  async append(_entries: unknown): Promise<void> {}
}
