// ScriptHost on Cloudflare: a Workers for Platforms dispatch namespace. The deployer uploads every version of a
// pulse as its own script (platform/namespace-script.ts) before the version goes live, so the active-version
// pointer in the platform DB names the script to run, exactly as it names the bundle on workerd. The outbound
// Worker gets the caller as parameters; the plan's CPU and subrequest limits go to the namespace, per request.
// Not runnable locally (Miniflare: "Binding DISPATCHER needs to be run remotely"); the tests run it against a
// stand-in of the binding (test/support/dispatch-namespace-stand-in.ts).

import type { PulseTarget, ScriptHost } from "../../platform/script-host.ts";
import { scriptNameFor } from "../../platform/namespace-script.ts";
import type { OutboundParameters } from "../../outbound/egress.ts";

/** What a route's target is dispatched with: its script and the per-invocation options of its plan. */
interface Dispatch {
  script: string;
  options: DynamicDispatchOptions;
}

/**
 * Built once per route entry, not per request: the route cache hands out the same target object until the
 * entry is reloaded, and a plan change, deploy or rollback loads a new one, so an admin's change of limits
 * reaches the next request after the route cache's TTL with no storage read here.
 */
const dispatches = new WeakMap<PulseTarget, Dispatch>();

export function dispatchFor(target: PulseTarget): Dispatch {
  let dispatch = dispatches.get(target);
  if (dispatch) return dispatch;
  const { limits } = target;
  // Declared as the outbound Worker's parameters in dispatcher/wrangler.jsonc (env.production).
  const outbound: OutboundParameters = {
    pulseId: target.pulseId,
    tenantId: target.tenantId,
    plan: target.plan,
    subrequestLimit: limits.subrequestsPerRequest,
    // The outbound Worker captures subrequests for shadow replay only when the plan keeps invocations.
    replayKeep: limits.replayInvocations ?? 0,
  };
  dispatch = {
    script: scriptNameFor(target.pulseId, target.versionId),
    // Cloudflare enforces these per invocation (CPU included, which local workerd does not).
    // https://developers.cloudflare.com/cloudflare-for-platforms/workers-for-platforms/configuration/custom-limits/
    options: { outbound, limits: { cpuMs: limits.cpuMs, subRequests: limits.subrequestsPerRequest } },
  };
  dispatches.set(target, dispatch);
  return dispatch;
}

export class DispatchNamespaceHost implements ScriptHost {
  readonly kind = "dispatch-namespace";

  readonly #namespace: DispatchNamespace;

  constructor(namespace: DispatchNamespace) {
    this.#namespace = namespace;
  }

  async invoke(target: PulseTarget, request: Request): Promise<Response> {
    const { script, options } = dispatchFor(target);
    return this.#namespace.get(script, {}, options).fetch(request);
  }
}
