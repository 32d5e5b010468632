// What the control plane tells the data plane: a route changed (purge it), and how a pulse's URL reads.

import type { DeployerEnv } from "./env.ts";

export const DEFAULT_URL_TEMPLATE = "http://{name}.pulses.localhost:8787";

export function urlTemplate(env: DeployerEnv): string {
  return env.PULSE_URL_TEMPLATE ?? DEFAULT_URL_TEMPLATE;
}

/** Best effort: the dispatcher's cache TTL bounds staleness when the purge cannot be delivered. No name: all. */
export async function purgeRoute(env: DeployerEnv, name?: string): Promise<void> {
  try {
    await env.ROUTES?.purge(name);
  } catch (error) {
    console.error(`route purge for ${name} failed (the cache TTL bounds staleness):`, error);
  }
}

/** After a custom domain was verified, removed or revoked (normalised hostname). No hostname: all. */
export async function purgeCustomHost(env: DeployerEnv, hostname?: string): Promise<void> {
  try {
    await env.ROUTES?.purgeCustomHost(hostname);
  } catch (error) {
    console.error(`custom host purge for ${hostname} failed (the cache TTL bounds staleness):`, error);
  }
}

/** After egress rules or secrets change: the data plane must not keep using the old ones. */
export async function purgeEgress(env: DeployerEnv, pulseId?: string): Promise<void> {
  try {
    await env.ROUTES?.purgeEgress(pulseId);
  } catch (error) {
    console.error("egress purge failed (the cache TTL bounds staleness):", error);
  }
}

/** Usage is counted in the data plane's memory: ask it to write what it has before usage is read. */
export async function flushUsage(env: DeployerEnv): Promise<void> {
  try {
    await env.ROUTES?.flushUsage();
  } catch (error) {
    console.error("usage flush failed (figures may lag by a few seconds):", error);
  }
}
