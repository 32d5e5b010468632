// Builds what handleEgress needs from a Worker's env, the same way for the workerd gate and the Cloudflare
// outbound Worker.

import { DEFAULT_BASE_DOMAIN } from "../platform/names.ts";
import { ttlFromConfig } from "../platform/ttl-cache.ts";
import type { EgressCaller, EgressDeps } from "./egress.ts";
import type { OutboundEnv } from "./env.ts";
import { loadPolicy } from "./policy-store.ts";
import { loadSecrets } from "./secret-store.ts";

const DEFAULT_CACHE_TTL_MS = 1000;

export function egressDeps(
  env: OutboundEnv,
  caller: EgressCaller,
  ctx?: Pick<ExecutionContext, "waitUntil">,
): EgressDeps {
  const ttl = cacheTtl(env);
  const upstreams = parseUpstreams(env.EGRESS_UPSTREAMS);
  return {
    ...(ctx ? { ctx } : {}),
    policy: () => loadPolicy(env, caller, ttl),
    secrets: () => loadSecrets(env, caller.pulseId, ttl),
    platformHosts: platformHosts(env),
    upstream: (host) => {
      const binding = upstreams.get(host);
      if (binding === undefined || isOrigin(binding)) return binding;
      return (env as unknown as Record<string, Fetcher | undefined>)[binding] ?? undefined;
    },
  };
}

export function cacheTtl(env: OutboundEnv): number {
  return ttlFromConfig(env.EGRESS_CACHE_TTL_MS, DEFAULT_CACHE_TTL_MS);
}

export function platformHosts(env: OutboundEnv): string[] {
  const extra = (env.PLATFORM_HOSTS ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase().replace(/\.+$/, ""))
    .filter(Boolean);
  return [(env.BASE_DOMAIN ?? DEFAULT_BASE_DOMAIN).toLowerCase(), ...extra];
}

/** An EGRESS_UPSTREAMS value naming where to dial ("http://127.0.0.1:8123") rather than a binding. */
function isOrigin(value: string): boolean {
  return /^https?:\/\//.test(value);
}

const parsedUpstreams = new Map<string, Map<string, string>>();

function parseUpstreams(json: string | undefined): Map<string, string> {
  if (!json) return new Map();
  let map = parsedUpstreams.get(json);
  if (!map) {
    map = new Map(
      Object.entries(JSON.parse(json) as Record<string, string>).map(([host, binding]) => [
        host.toLowerCase(),
        binding,
      ]),
    );
    parsedUpstreams.set(json, map);
  }
  return map;
}
