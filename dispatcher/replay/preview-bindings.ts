// What a preview's candidate is bound to. Decided once per preview, and the same whichever process runs the
// candidate: the dispatcher's own Worker Loader (PULSE_CELLS=0) or a runtime cell (dispatcher/cell/worker.ts).
// Only the entrypoints differ: the dispatcher binds its own, a cell binds forwarders that carry these props to
// the dispatcher's CellServices, which apply the same rules.

import type { PulseTarget } from "../../platform/script-host.ts";
import type { ScopedKVProps } from "../bindings/scoped-kv.ts";
import type { ScopedSQLProps } from "../bindings/pulse-database.ts";
import type { SecretCryptoProps } from "../bindings/secret-crypto.ts";
import type { PreviewBindings } from "../cell/protocol.ts";
import type { PulseBindings } from "../hosts/worker-loader-host.ts";
import type { ReplayOutboundProps } from "./replay-outbound.ts";

export type { PreviewBindings };

export function previewBindings(candidate: PulseTarget, sandboxId: string): PreviewBindings {
  const { pulseId, tenantId, versionId, limits } = candidate;
  return {
    sandboxId,
    // Dots, not slashes (the inspector's path; see isolateName). One isolate per preview: its props name the sandbox.
    isolate: `preview.${sandboxId}.${versionId}`,
    kv: {
      pulseId: sandboxId,
      tenantId,
      opsPerRequest: limits.kvOpsPerRequest,
      maxValueBytes: limits.kvValueBytes,
      unmetered: true,
    },
    db: { pulseId: sandboxId },
    // The pulse's own signing secrets: a recorded webhook is checked as the live version checks it.
    crypto: { pulseId },
    // The run is registered under the sandbox's id: one id names the preview everywhere.
    replay: { runId: sandboxId },
  };
}

type Bind<P> = (options: { props: P }) => Fetcher;

/** The entrypoints of the process running the candidate, one per binding. */
export interface CandidateEntrypoints {
  kv: Bind<ScopedKVProps>;
  db: Bind<ScopedSQLProps>;
  crypto: Bind<SecretCryptoProps>;
  replay: Bind<ReplayOutboundProps>;
  /** Takes the candidate's console lines and keeps none (candidate-log.ts). */
  log: Bind<Record<string, never>>;
}

/** The candidate's env: storage of the sandbox, fetch() answered from the recordings, and a log that keeps nothing. */
export function candidateBindings(preview: PreviewBindings, entrypoints: CandidateEntrypoints): PulseBindings {
  return {
    kv: entrypoints.kv({ props: preview.kv }),
    db: entrypoints.db({ props: preview.db }),
    crypto: entrypoints.crypto({ props: preview.crypto }),
    outbound: entrypoints.replay({ props: preview.replay }),
    log: entrypoints.log({ props: {} }),
  };
}
