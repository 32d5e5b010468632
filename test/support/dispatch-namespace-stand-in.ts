// A stand-in of the dispatch namespace binding for workerd, where the real one cannot run. It keeps the
// binding's contract: `get(scriptName, args, { outbound, limits })` returns a Fetcher at once; the script is
// looked up by name among what the deployer uploaded (through the SDK, to the fake API Worker) and only
// then run. It runs the uploaded modules with the uploaded compatibility settings and bindings, turns
// `outbound` into the outbound Worker's parameters (outbound/worker.ts, with those values in its env) and passes
// `limits` to the loader. A script that was never uploaded fails like a missing Worker does on Cloudflare.
// Each `get()` is recorded with its options (dispatchesOf), since the real binding takes them per invocation.
// A script uploaded with `tail_consumers` gets the dispatcher's tail(), as Cloudflare delivers it
// (test/support/namespace-tail-stand-in.ts).
// D1 bindings: no D1 can be created at runtime on workerd, so each uploaded database id is given one of a
// pool of D1 databases the test project declares (PULSE_D1_POOL_{n}), one per id, never shared.
// What it cannot reproduce: CPU enforcement, and Cloudflare's own checks of the metadata.

import type { DispatcherEnv } from "../../dispatcher/env.ts";
import type { LoaderExports } from "../../dispatcher/hosts/worker-loader-host.ts";
import type { OutboundParameters } from "../../outbound/egress.ts";
import { DISPATCHER_SERVICE, type ScriptBinding, type ScriptMetadata } from "../../platform/namespace-script.ts";
import { NAMESPACE } from "./fake-cloudflare-api.ts";
import type { NamespaceTailProps } from "./namespace-tail-stand-in.ts";

/** What the dispatcher passed to `get()`, newest last (bounded): the tests read the options per request. */
export interface RecordedDispatch {
  name: string;
  options: DynamicDispatchOptions | undefined;
}
const RECORDED_MAX = 200;
const recorded: RecordedDispatch[] = [];

/** The `get()` calls made so far for one script, oldest first. */
export function dispatchesOf(name: string): RecordedDispatch[] {
  return recorded.filter((d) => d.name === name);
}

/** How many D1 databases the test project declares for pulses with SQL. */
export const D1_POOL_SIZE = 24;
const d1Slots = new Map<string, number>();

export interface StandInEnv extends DispatcherEnv {
  LOADER: WorkerLoader;
  /** The fake Cloudflare API Worker, where uploads land. */
  FAKE_CLOUDFLARE: Fetcher;
}

interface UploadedScript {
  metadata: ScriptMetadata;
  modules: Record<string, string>;
}

/** The test entry's own loopback exports that play Cloudflare's delivery of tail events and its outbound Worker. */
interface StandInExports {
  NamespaceTailStandIn(options: { props: NamespaceTailProps }): Fetcher;
  NamespaceOutboundStandIn(options: { props: OutboundParameters }): Fetcher;
}

/** What the stand-in runs scripts with: the dispatcher's env (LOADER, FAKE_CLOUDFLARE) and its loopback exports. */
export interface StandInHost {
  env: StandInEnv;
  exports: LoaderExports;
}

export class DispatchNamespaceStandIn implements DispatchNamespace {
  readonly #host: StandInHost;

  constructor(host: StandInHost) {
    this.#host = host;
  }

  get #env(): StandInEnv {
    return this.#host.env;
  }

  get #exports(): LoaderExports {
    return this.#host.exports;
  }

  get(name: string, _args?: Record<string, unknown>, options?: DynamicDispatchOptions): Fetcher {
    // A copy: what was passed then, even if the caller's object were changed later.
    recorded.push({ name, options: structuredClone(options) });
    if (recorded.length > RECORDED_MAX) recorded.shift();
    const run = (request: Request) => this.#run(name, options ?? {}, request);
    return {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => run(new Request(input, init)),
      connect: () => {
        throw new Error("the stand-in does not offer connect()");
      },
    } as unknown as Fetcher;
  }

  async #run(name: string, options: DynamicDispatchOptions, request: Request): Promise<Response> {
    const found = await this.#env.FAKE_CLOUDFLARE.fetch(
      `https://fake-cloudflare.internal/__namespace/${NAMESPACE}/${encodeURIComponent(name)}`,
    );
    if (found.status === 404) throw new Error(`Worker not found: ${name}`);
    const script = await found.json<UploadedScript>();
    const outbound = options.outbound as unknown as OutboundParameters | undefined;
    if (!outbound) throw new Error("the dispatcher must pass outbound parameters");
    const id = `${name}/${await digest(JSON.stringify([script.metadata, options]))}`;
    const worker = this.#env.LOADER.get(id, () => ({
      compatibilityDate: script.metadata.compatibility_date,
      compatibilityFlags: script.metadata.compatibility_flags,
      mainModule: script.metadata.main_module,
      modules: script.modules,
      env: this.#bindings(script.metadata.bindings),
      // The namespace's outbound Worker (outbound/worker.ts) receives `outbound` as its parameters.
      globalOutbound: (this.#exports as unknown as StandInExports).NamespaceOutboundStandIn({ props: outbound }),
      tails: this.#tails(name, script.metadata),
      ...(options.limits ? { limits: options.limits } : {}),
    }));
    return worker.getEntrypoint().fetch(request);
  }

  /** The uploaded `tail_consumers`: the dispatcher's tail() is the only consumer a script may name. */
  #tails(name: string, metadata: ScriptMetadata): Fetcher[] {
    return (metadata.tail_consumers ?? []).map((consumer) => {
      if (consumer.service !== DISPATCHER_SERVICE)
        throw new Error(`tail consumer ${consumer.service} is not available`);
      const props = { scriptName: name, scriptTags: metadata.tags, dispatchNamespace: NAMESPACE };
      return (this.#exports as unknown as StandInExports).NamespaceTailStandIn({ props });
    });
  }

  #bindings(bindings: ScriptBinding[]): Record<string, unknown> {
    const env: Record<string, unknown> = {};
    for (const binding of bindings) {
      switch (binding.type) {
        case "plain_text":
          env[binding.name] = binding.text;
          break;
        case "json":
          env[binding.name] = binding.json;
          break;
        case "service": {
          const entrypoint = (this.#exports as unknown as Record<string, (o: { props: unknown }) => Fetcher>)[
            binding.entrypoint
          ];
          if (binding.service !== DISPATCHER_SERVICE || !entrypoint)
            throw new Error(`service binding to ${binding.service}.${binding.entrypoint} is not available`);
          env[binding.name] = entrypoint({ props: binding.props });
          break;
        }
        case "d1":
          env[binding.name] = this.#pooledD1(binding.id);
          break;
      }
    }
    return env;
  }

  #pooledD1(databaseId: string): D1Database {
    let slot = d1Slots.get(databaseId);
    if (slot === undefined) {
      if (d1Slots.size >= D1_POOL_SIZE) throw new Error(`more than ${D1_POOL_SIZE} pulses with SQL in one test file`);
      slot = d1Slots.size;
      d1Slots.set(databaseId, slot);
    }
    return (this.#env as unknown as Record<string, D1Database>)[`PULSE_D1_POOL_${slot}`]!;
  }
}

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...bytes.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
