// ScriptHost on Cloudflare: a Workers for Platforms dispatch namespace. The deployer uploads each pulse as
// the script `scriptNameFor(pulseId)` when a version goes live, so the script in the namespace is always the
// active version; the outbound Worker gets the caller as parameters, and the plan's CPU and subrequest
// limits go to the namespace.
// Not runnable locally (Miniflare: "Binding DISPATCHER needs to be run remotely"); see README.

import type { PulseTarget, ScriptHost } from "../../platform/script-host.ts";
import type { EgressCaller } from "../../outbound/egress.ts";

export function scriptNameFor(pulseId: string): string {
  return `pulse-${pulseId}`;
}

export class DispatchNamespaceHost implements ScriptHost {
  readonly kind = "dispatch-namespace";

  readonly #namespace: DispatchNamespace;

  constructor(namespace: DispatchNamespace) {
    this.#namespace = namespace;
  }

  async invoke(target: PulseTarget, request: Request): Promise<Response> {
    const { limits } = target;
    const outbound: EgressCaller = { pulseId: target.pulseId, tenantId: target.tenantId, plan: target.plan, subrequestLimit: limits.subrequestsPerRequest };
    // Cloudflare enforces these per invocation (CPU included, which local workerd does not).
    const script = this.#namespace.get(scriptNameFor(target.pulseId), {}, { outbound, limits: { cpuMs: limits.cpuMs, subRequests: limits.subrequestsPerRequest } });
    return script.fetch(request);
  }
}
