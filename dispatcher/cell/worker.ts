// A runtime cell (see protocol.ts): a workerd process that only runs pulses. The front hands it an
// invocation; it loads the version in its Worker Loader with the same description the in-process host uses,
// except that each binding is a local entrypoint forwarding to the front with the props set here (or, for a
// preview's candidate, with the props the front sent: dispatcher/replay/preview-bindings.ts).
// What it is running is known to the front, which sent it (dispatcher/hosts/cell-traffic.ts).

import { WorkerEntrypoint } from "cloudflare:workers";
import type { GateProps } from "../../outbound/gate.ts";
import type { PulseTarget } from "../../platform/script-host.ts";
import type { ScopedKVProps } from "../bindings/scoped-kv.ts";
import type { ScopedSQLProps } from "../bindings/pulse-database.ts";
import type { SecretCryptoProps } from "../bindings/secret-crypto.ts";
import { bindingProps, isolateName, pulseWorkerCode } from "../hosts/worker-loader-host.ts";
import type { LogTailProps } from "../logs/log-tail.ts";
import { acceptedEntries } from "../logs/pulse-log.ts";
import { REQUEST_ID_HEADER } from "../../platform/errors.ts";
import { countSubrequest } from "../../platform/per-request-counter.ts";
import { subrequestRefusal } from "../../outbound/egress.ts";
import { candidateBindings } from "../replay/preview-bindings.ts";
import type { ReplayOutboundProps } from "../replay/replay-outbound.ts";
import {
  CELL_SECRET_HEADER,
  checkCellSecret,
  type CellRpc,
  type CellServicesRpc,
  type CryptoMethod,
  type KvMethod,
  type PreviewBindings,
  type SqlMethod,
} from "./protocol.ts";

export interface CellEnv {
  LOADER: WorkerLoader;
  /** The front's CellServices, over loopback RPC. */
  FRONT: Service & CellServicesRpc;
  CELL_SECRET: string;
  /** This cell's number among the front's CELL_{i} bindings. */
  CELL_INDEX: string;
}

interface CellExports {
  CellKV(options: { props: ScopedKVProps }): Fetcher;
  CellSQL(options: { props: ScopedSQLProps }): Fetcher;
  CellCrypto(options: { props: SecretCryptoProps }): Fetcher;
  CellGate(options: { props: GateProps }): Fetcher;
  CellLog(options: { props: LogTailProps }): Fetcher;
  CellReplay(options: { props: ReplayOutboundProps }): Fetcher;
  CandidateLog(options: { props: Record<string, never> }): Fetcher;
}

export class Cell extends WorkerEntrypoint<CellEnv> implements CellRpc {
  async invoke(secret: string, target: PulseTarget, request: Request, preview?: PreviewBindings): Promise<Response> {
    checkCellSecret(secret, this.env.CELL_SECRET);
    if (preview) return this.#candidate(secret, target, preview).getEntrypoint().fetch(request);
    const { env } = this;
    const exports = this.ctx.exports as unknown as CellExports;
    const worker = env.LOADER.get(isolateName(target), async () => {
      const { code, refs } = await env.FRONT.load(secret, target);
      const props = bindingProps(target);
      return pulseWorkerCode(target, code, refs, {
        kv: exports.CellKV({ props: props.kv }),
        db: exports.CellSQL({ props: props.db }),
        crypto: exports.CellCrypto({ props: props.crypto }),
        outbound: exports.CellGate({ props: props.outbound }),
        log: exports.CellLog({ props: props.log }),
      });
    });
    return worker.getEntrypoint().fetch(request);
  }

  /**
   * A preview's candidate, bound to its sandbox (dispatcher/replay/preview-bindings.ts). Named, like a live
   * version, so its inputs share one isolate and the watchdog reads its heap; the name is the preview's own.
   */
  #candidate(secret: string, target: PulseTarget, preview: PreviewBindings): WorkerStub {
    const { env } = this;
    const exports = this.ctx.exports as unknown as CellExports;
    return env.LOADER.get(preview.isolate, async () => {
      const { code, refs } = await env.FRONT.load(secret, target, preview.isolate);
      return pulseWorkerCode(
        target,
        code,
        refs,
        candidateBindings(preview, {
          kv: (o) => exports.CellKV(o),
          db: (o) => exports.CellSQL(o),
          crypto: (o) => exports.CellCrypto(o),
          replay: (o) => exports.CellReplay(o),
          log: (o) => exports.CandidateLog(o),
        }),
      );
    });
  }
}

// The bindings of a pulse in this cell: each call goes to the front with this binding's props. Methods are
// spelled out because RPC reaches only methods a class declares. And RPC reaches every public member of an
// entrypoint's prototype, getters too, whatever TypeScript calls protected: a pulse can get hold of its raw
// binding stubs (an Object.prototype trap catches the shim's calls), so these classes have no member but the
// calls a pulse may make; the cell secret and the front are read from `env`, which RPC does not reach.

export class CellKV extends WorkerEntrypoint<CellEnv, ScopedKVProps> {
  #call(method: KvMethod, args: unknown[]) {
    return this.env.FRONT.kv(this.env.CELL_SECRET, this.ctx.props, method, args);
  }
  get(...args: unknown[]) {
    return this.#call("get", args);
  }
  getWithMetadata(...args: unknown[]) {
    return this.#call("getWithMetadata", args);
  }
  put(...args: unknown[]) {
    return this.#call("put", args);
  }
  delete(...args: unknown[]) {
    return this.#call("delete", args);
  }
  list(...args: unknown[]) {
    return this.#call("list", args);
  }
}

export class CellSQL extends WorkerEntrypoint<CellEnv, ScopedSQLProps> {
  #call(method: SqlMethod, args: unknown[]) {
    return this.env.FRONT.sql(this.env.CELL_SECRET, this.ctx.props, method, args);
  }
  query(...args: unknown[]) {
    return this.#call("query", args);
  }
  batch(...args: unknown[]) {
    return this.#call("batch", args);
  }
  exec(...args: unknown[]) {
    return this.#call("exec", args);
  }
}

export class CellCrypto extends WorkerEntrypoint<CellEnv, SecretCryptoProps> {
  #call(method: CryptoMethod, args: unknown[]) {
    return this.env.FRONT.crypto(this.env.CELL_SECRET, this.ctx.props, method, args);
  }
  hmac(...args: unknown[]) {
    return this.#call("hmac", args);
  }
  verifyHmac(...args: unknown[]) {
    return this.#call("verifyHmac", args);
  }
  signJwt(...args: unknown[]) {
    return this.#call("signJwt", args);
  }
}

export class CellGate extends WorkerEntrypoint<CellEnv, GateProps> {
  override async fetch(request: Request): Promise<Response> {
    // Past the plan's subrequest limit the front would refuse too: refused here, with the same answer and log
    // line, without the round trip (a pulse looping on its refused fetches kept the front's thread busy).
    const { props } = this.ctx;
    const refusal = subrequestRefusal(
      request,
      props,
      countSubrequest(props.pulseId, request.headers.get(REQUEST_ID_HEADER)),
      { where: "cell" },
      this.ctx,
    );
    if (!refusal) return this.env.FRONT.egress(this.env.CELL_SECRET, props, request);
    await request.body?.cancel();
    return refusal;
  }
  /** Raw TCP is refused here as it is by the OutboundGate. */
  override connect(): never {
    throw new Error("egress_denied: pulses cannot open raw sockets");
  }
}

/** A preview candidate's fetch(): the front answers it from the recordings; nothing leaves. */
export class CellReplay extends WorkerEntrypoint<CellEnv, ReplayOutboundProps> {
  override async fetch(request: Request): Promise<Response> {
    return this.env.FRONT.replay(this.env.CELL_SECRET, this.ctx.props, request);
  }
  /** Raw TCP is refused, as in live traffic. */
  override connect(): never {
    throw new Error("egress_denied: pulses cannot open raw sockets");
  }
}

/** The pulse's log binding (dispatcher/logs/pulse-log.ts): the isolate's batches, checked here, where they
 * leave the isolate, and handed on as they come (the isolate sends one per FLUSH_DELAY_MS at most). */
export class CellLog extends WorkerEntrypoint<CellEnv, LogTailProps> {
  async append(entries: unknown): Promise<void> {
    const checked = acceptedEntries(this.ctx.props.pulseId, entries);
    if (checked.length > 0) await this.env.FRONT.logs(this.env.CELL_SECRET, this.ctx.props, checked);
  }
}

export { CandidateLog } from "../replay/candidate-log.ts";

export default {
  async fetch(request, env) {
    // PUT /drain: the local watchdog is about to recycle this cell; the front sends it no new requests until
    // DELETE /drain (or the drain's lease ends). Relayed by the cell, which holds the link to the front.
    if (new URL(request.url).pathname === "/drain" && (request.method === "PUT" || request.method === "DELETE")) {
      const secret = request.headers.get(CELL_SECRET_HEADER);
      try {
        checkCellSecret(secret, env.CELL_SECRET);
      } catch {
        return Response.json({ error: { code: "cell_forbidden", message: "wrong cell secret" } }, { status: 403 });
      }
      await env.FRONT.drain(secret!, Number(env.CELL_INDEX), request.method === "PUT");
      return new Response(null, { status: 204 });
    }
    // The watchdog's probe: answered at once unless a pulse holds this process's thread.
    return new Response("cell ok");
  },
} satisfies ExportedHandler<CellEnv>;
