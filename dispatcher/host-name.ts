// Host header -> which door: a pulse, or the control plane. Case-insensitive, tolerant of a port and a
// trailing dot. Only a single valid, unreserved label directly under the base domain can name a pulse.

import { isDnsLabel, RESERVED_LABELS } from "../platform/names.ts";

/** `pulseId` and `host` are set for a verified custom domain (see custom-hosts.ts), never under the base domain. */
export type HostRoute =
  | { kind: "control" }
  | { kind: "pulse"; name: string; pulseId?: string; host?: string }
  | { kind: "no_pulse" };

export function routeHost(hostHeader: string | null, baseDomain: string): HostRoute {
  const host = normaliseHost(hostHeader ?? "");
  const base = normaliseHost(baseDomain);
  if (host === "" || host === base || !host.endsWith(`.${base}`)) return { kind: "control" };
  const label = host.slice(0, -(base.length + 1));
  if (RESERVED_LABELS.has(label)) return { kind: "control" };
  // Nested labels (a.b.base) and invalid labels can never be pulses: answer without touching the DB.
  if (!isDnsLabel(label)) return { kind: "no_pulse" };
  return { kind: "pulse", name: label };
}

/** Lowercase, without port (IPv6 literals keep their brackets) and without trailing dots. */
export function normaliseHost(raw: string): string {
  let host = raw.trim().toLowerCase();
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    host = end === -1 ? host : host.slice(0, end + 1);
  } else {
    const colon = host.lastIndexOf(":");
    if (colon !== -1) host = host.slice(0, colon);
  }
  return host.replace(/\.+$/, "");
}
