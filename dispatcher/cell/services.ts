// The front's side of the cells (see protocol.ts): what a pulse running in a cell reaches of the platform.
// Each call names the binding's props as the cell bound them; the calls land on the same entrypoints the
// in-process Worker Loader host binds (ScopedKV, ScopedSQL, OutboundGate), so every rule stays in one place.

import { WorkerEntrypoint } from "cloudflare:workers";
import { referenceMaps } from "../../outbound/secret-store.ts";
import { gateFetch, type GateProps } from "../../outbound/gate.ts";
import type { PulseTarget } from "../../platform/script-host.ts";
import { PulseKv, type ScopedKVProps } from "../bindings/scoped-kv.ts";
import type { ScopedSQLProps } from "../bindings/pulse-database.ts";
import type { SecretCryptoProps } from "../bindings/secret-crypto.ts";
import type { DispatcherEnv } from "../env.ts";
import { isolateName, loadBundle, type LoaderExports } from "../hosts/worker-loader-host.ts";
import { cellLoaded, frontCall } from "../hosts/cell-traffic.ts";
import { setCellDraining } from "../hosts/cell-host.ts";
import type { LogEntry } from "../logs/log-store.ts";
import { replayFetch, type ReplayOutboundProps } from "../replay/replay-outbound.ts";
import type { LogTailProps } from "../logs/log-tail.ts";
import { appendToStore } from "../logs/store-batches.ts";
import {
  checkCellSecret,
  CRYPTO_METHODS,
  KV_METHODS,
  SQL_METHODS,
  type CellServicesRpc,
  type CryptoMethod,
  type KvMethod,
  type SqlMethod,
} from "./protocol.ts";

type Callable = Record<string, (...args: unknown[]) => Promise<unknown>>;

export class CellServices extends WorkerEntrypoint<DispatcherEnv> implements CellServicesRpc {
  get #exports(): LoaderExports {
    return this.ctx.exports as unknown as LoaderExports;
  }

  async load(secret: string, target: PulseTarget, isolate?: string) {
    checkCellSecret(secret, this.env.CELL_SECRET);
    const [code, refs] = await Promise.all([
      loadBundle(this.env.BUNDLES, target),
      referenceMaps(this.env, target.pulseId, target.secretNames),
    ]);
    cellLoaded(typeof isolate === "string" ? isolate : isolateName(target));
    return { code, refs };
  }

  async kv(secret: string, props: ScopedKVProps, method: KvMethod, args: unknown[]) {
    checkCellSecret(secret, this.env.CELL_SECRET);
    if (!KV_METHODS.includes(method) || !Array.isArray(args)) throw new TypeError("unknown env.kv call");
    const kv = new PulseKv(this.env, props) as unknown as Callable;
    return frontCall(props.pulseId, () => kv[method]!(...args));
  }

  async sql(secret: string, props: ScopedSQLProps, method: SqlMethod, args: unknown[]) {
    checkCellSecret(secret, this.env.CELL_SECRET);
    if (!SQL_METHODS.includes(method) || !Array.isArray(args)) throw new TypeError("unknown env.db call");
    return frontCall(props.pulseId, () =>
      (this.#exports.ScopedSQL({ props }) as unknown as Callable)[method]!(...args),
    );
  }

  async crypto(secret: string, props: SecretCryptoProps, method: CryptoMethod, args: unknown[]) {
    checkCellSecret(secret, this.env.CELL_SECRET);
    if (!CRYPTO_METHODS.includes(method) || !Array.isArray(args)) throw new TypeError("unknown env.crypto call");
    return frontCall(props.pulseId, () =>
      (this.#exports.SecretCrypto({ props }) as unknown as Callable)[method]!(...args),
    );
  }

  async egress(secret: string, props: GateProps, request: Request) {
    checkCellSecret(secret, this.env.CELL_SECRET);
    return frontCall(props.pulseId, () => gateFetch(this.env, this.ctx, props, request));
  }

  async replay(secret: string, props: ReplayOutboundProps, request: Request) {
    checkCellSecret(secret, this.env.CELL_SECRET);
    // Counted under the run's id, which is the sandbox's: the preview's entry in the in-flight table.
    return frontCall(props.runId, async () => replayFetch(props, request));
  }

  async logs(secret: string, props: LogTailProps, entries: LogEntry[]) {
    checkCellSecret(secret, this.env.CELL_SECRET);
    appendToStore(this.env, this.ctx, props, entries);
  }

  async drain(secret: string, cell: number, draining: boolean) {
    checkCellSecret(secret, this.env.CELL_SECRET);
    if (!Number.isInteger(cell) || cell < 0 || cell >= Number(this.env.CELL_COUNT ?? 0))
      throw new RangeError(`no runtime cell ${cell}`);
    setCellDraining(cell, draining === true);
  }
}
