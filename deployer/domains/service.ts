// Custom domains of a pulse: add (claim a hostname, get what to prove), verify, remove; an admin's mark and
// revoke. One hostname belongs to one pulse. Whatever stops a domain from serving deletes its row first and
// purges the data plane's cache of that host, so routing stops at once; the verifier's own cleanup (a
// Cloudflare custom hostname) comes after and never undoes that.

import { normaliseCustomHostname } from "../../platform/custom-hostname.ts";
import { ApiError } from "../../platform/errors.ts";
import type { DeployerEnv } from "../env.ts";
import { purgeCustomHost, urlTemplate } from "../routing.ts";
import type { PulseRow } from "../store.ts";
import {
  CHALLENGE_TOKEN_BYTES,
  DOMAIN_POLL_BATCH,
  MAX_DOMAINS_PER_PULSE,
  PENDING_CLAIM_LIFETIME_MS,
} from "./limits.ts";
import {
  countDomains,
  type DomainRow,
  deleteDomain,
  findDomain,
  insertDomain,
  listDomains,
  pendingDomains,
  recordFailedCheck,
  setVerified,
} from "./store.ts";
import { type Challenge, type DomainVerifier, domainVerifierFor } from "./verifier.ts";

/** The domain as the API answers it. */
export function toDomain(row: DomainRow, env: DeployerEnv) {
  return {
    hostname: row.hostname,
    pulse: row.pulse_name,
    tenantId: row.tenant_id,
    status: row.status,
    verifier: row.verifier,
    challenge: JSON.parse(row.challenge) as Challenge,
    lastCheck: row.last_check,
    url: `${schemeOf(env)}//${row.hostname}/`,
    createdAt: new Date(row.created_at).toISOString(),
    verifiedAt: row.verified_at === null ? null : new Date(row.verified_at).toISOString(),
  };
}

/** The platform's base domain, read from the URL template pulses are served at ({name}.{base}). */
export function platformDomainOf(env: DeployerEnv): string {
  return new URL(urlTemplate(env).replace("{name}", "x")).hostname.replace(/^x\./, "");
}

function schemeOf(env: DeployerEnv): string {
  return new URL(urlTemplate(env).replace("{name}", "x")).protocol;
}

/** The normalised hostname, or the 400 that says why it cannot be a custom domain. */
export function hostnameOf(env: DeployerEnv, input: string): string {
  const check = normaliseCustomHostname(input, platformDomainOf(env));
  if (!check.ok) throw new ApiError(check.code, check.message);
  return check.hostname;
}

/** A pulse's domain by hostname as written in a path; another pulse's is "not found". */
export async function findPulseDomain(env: DeployerEnv, pulseId: string | null, input: string): Promise<DomainRow> {
  const check = normaliseCustomHostname(input, platformDomainOf(env));
  const row = check.ok ? await findDomain(env.DB, check.hostname) : null;
  if (!row || (pulseId !== null && row.pulse_id !== pulseId)) {
    throw new ApiError("domain_not_found", `No custom domain "${input}" on this pulse`);
  }
  return row;
}

export function listPulseDomains(env: DeployerEnv, pulseId?: string): Promise<DomainRow[]> {
  return listDomains(env.DB, pulseId);
}

/**
 * Claims `input` for the pulse. Adding a hostname the pulse already has answers the existing claim.
 * `controlHost`: the host this call came on, which is the control plane's and never a pulse's.
 */
export async function addDomain(
  env: DeployerEnv,
  pulse: PulseRow,
  input: string,
  verifier: DomainVerifier,
  controlHost?: string,
): Promise<{ row: DomainRow; created: boolean }> {
  const hostname = hostnameOf(env, input);
  if (controlHost !== undefined && hostname === hostOfHeader(controlHost)) {
    throw new ApiError("hostname_not_allowed", `${hostname} is the control plane's own host`);
  }
  const existing = await findDomain(env.DB, hostname);
  if (existing?.pulse_id === pulse.id) return { row: existing, created: false };
  if (existing) {
    const stale = existing.status === "pending" && existing.created_at < Date.now() - PENDING_CLAIM_LIFETIME_MS;
    if (!stale) throw new ApiError("hostname_taken", `${hostname} belongs to another pulse`);
    // An old claim nobody proved gives way: the hostname's owner is not kept out by a squatter.
    if (await deleteDomain(env.DB, existing)) await release(verifier, existing);
  }
  if ((await countDomains(env.DB, pulse.id)) >= MAX_DOMAINS_PER_PULSE) {
    throw new ApiError("domain_limit_reached", `A pulse has at most ${MAX_DOMAINS_PER_PULSE} custom domains`);
  }
  const token = randomToken();
  const { providerId, challenge } = await verifier.register(hostname, token);
  const claim = {
    hostname,
    pulseId: pulse.id,
    tenantId: pulse.tenant_id,
    token,
    verifier: verifier.kind,
    providerId,
    challenge,
  };
  if (!(await insertDomain(env.DB, claim))) {
    await release(verifier, { hostname, token, provider_id: providerId });
    throw new ApiError("hostname_taken", `${hostname} was claimed by another pulse a moment ago`);
  }
  return { row: (await findDomain(env.DB, hostname))!, created: true };
}

/** Asks the verifier; on success the hostname routes to the pulse at once. */
export async function verifyDomain(env: DeployerEnv, row: DomainRow, verifier: DomainVerifier): Promise<DomainRow> {
  if (row.status === "verified") return row;
  const result = await verifier.check({ hostname: row.hostname, token: row.token, providerId: row.provider_id });
  if (!result.verified) {
    await recordFailedCheck(env.DB, row.hostname, result.reason);
    throw new ApiError("domain_not_verified", `${row.hostname} is not verified yet: ${result.reason}`);
  }
  return markVerified(env, row, null);
}

/**
 * The scheduled poll: pending claims of the configured verifier are checked without waiting for their developer
 * to ask (Cloudflare validates on its own once the records are in place). Returns how many became verified.
 */
export async function pollPendingDomains(env: DeployerEnv, verifier: DomainVerifier = domainVerifierFor(env)) {
  let verified = 0;
  for (const row of await pendingDomains(env.DB, verifier.kind, DOMAIN_POLL_BATCH)) {
    try {
      await verifyDomain(env, row, verifier);
      verified += 1;
    } catch (error) {
      if (!(error instanceof ApiError)) console.error(`polling ${row.hostname} failed:`, error);
    }
  }
  return verified;
}

/** `by`: the admin who vouches for the domain, or null when the verifier's check passed. */
export async function markVerified(env: DeployerEnv, row: DomainRow, by: string | null): Promise<DomainRow> {
  await setVerified(env.DB, row.hostname, by);
  // The host may be cached as "not a pulse" from a request made before the proof.
  await purgeCustomHost(env, row.hostname);
  return (await findDomain(env.DB, row.hostname)) ?? row;
}

/** Removal by the pulse's developer and revocation by an admin: routing stops before anything else happens. */
export async function removeDomain(env: DeployerEnv, row: DomainRow, verifier: DomainVerifier): Promise<void> {
  await deleteDomain(env.DB, row);
  await purgeCustomHost(env, row.hostname);
  await release(verifier, row);
}

/**
 * After a pulse's rows are gone (its domains with them: ON DELETE CASCADE): the data plane forgets the hosts,
 * then the verifier lets go of what it set up. A verifier that cannot be built is logged, never fatal here.
 */
export async function forgetPulseDomains(env: DeployerEnv, rows: DomainRow[]): Promise<void> {
  for (const row of rows) await purgeCustomHost(env, row.hostname);
  const held = rows.filter((row) => row.provider_id !== null);
  if (held.length === 0) return;
  let verifier: DomainVerifier;
  try {
    verifier = domainVerifierFor(env);
  } catch (error) {
    console.error("custom domains of a deleted pulse left at the verifier (left for cleanup):", error);
    return;
  }
  for (const row of held) await release(verifier, row);
}

/** Best effort: the row is gone, so the domain no longer serves whatever the verifier says. */
async function release(verifier: DomainVerifier, row: Pick<DomainRow, "hostname" | "token" | "provider_id">) {
  try {
    await verifier.release({ hostname: row.hostname, token: row.token, providerId: row.provider_id });
  } catch (error) {
    console.error(`releasing ${row.hostname} at the ${verifier.kind} verifier failed (left for cleanup):`, error);
  }
}

/** A Host header's hostname as URLs spell it (lowercase, IDNA, no port), without a trailing dot. */
function hostOfHeader(host: string): string | null {
  try {
    return new URL(`http://${host}/`).hostname.replace(/\.$/, "");
  } catch {
    return null;
  }
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CHALLENGE_TOKEN_BYTES));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
