// ScriptHost on Cloudflare: a Workers for Platforms dispatch namespace. The deployer uploads every version of a
// pulse as its own script (platform/namespace-script.ts) before the version goes live, so the active-version
// pointer in the platform DB names the script to run, exactly as it names the bundle on workerd. The outbound
// Worker gets the caller as parameters; the plan's CPU and subrequest limits go to the namespace.
// Not runnable locally (Miniflare: "Binding DISPATCHER needs to be run remotely"); the tests run it against a
// stand-in of the binding (test/support/dispatch-namespace-stand-in.ts).

import type { PulseTarget, ScriptHost } from "../../platform/script-host.ts";
import { scriptNameFor } from "../../platform/namespace-script.ts";
import type { EgressCaller } from "../../outbound/egress.ts";

export class DispatchNamespaceHost implements ScriptHost {
  readonly kind = "dispatch-namespace";

  readonly #namespace: DispatchNamespace;

  constructor(namespace: DispatchNamespace) {
    this.#namespace = namespace;
  }

  async invoke(target: PulseTarget, request: Request): Promise<Response> {
    const { limits } = target;
    // Declared as the outbound Worker's parameters in dispatcher/wrangler.jsonc (env.production).
    const outbound: EgressCaller = {
      pulseId: target.pulseId,
      tenantId: target.tenantId,
      plan: target.plan,
      subrequestLimit: limits.subrequestsPerRequest,
    };
    // Cloudflare enforces these per invocation (CPU included, which local workerd does not).
    const script = this.#namespace.get(
      scriptNameFor(target.pulseId, target.versionId),
      {},
      { outbound, limits: { cpuMs: limits.cpuMs, subRequests: limits.subrequestsPerRequest } },
    );
    return script.fetch(request);
  }
}
