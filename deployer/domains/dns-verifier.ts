// The local verifier: the developer publishes a TXT record `_pulse-challenge.{hostname}` whose value is the
// claim's random token; the check asks a resolver for that name. The resolver is an interface so the check's
// logic is tested with a stand-in; the real one asks a DNS-over-HTTPS server in its JSON form
// (https://developers.cloudflare.com/1.1.1.1/encryption/dns-over-https/make-api-requests/dns-json/), which a
// Worker can reach with fetch() where it cannot send DNS packets.

import { CHALLENGE_LABEL } from "../../platform/custom-hostname.ts";
import { ApiError } from "../../platform/errors.ts";
import { DNS_LOOKUP_TIMEOUT_MS, MAX_DNS_ANSWER_BYTES } from "./limits.ts";
import type { Challenge, DomainCheck, DomainClaim, DomainVerifier } from "./verifier.ts";

export interface TxtResolver {
  /** Every TXT record at `name`, each as one string (its character-strings joined); [] when there is none. */
  txt(name: string): Promise<string[]>;
}

/** The resolver could not answer (network, timeout, SERVFAIL): not the same as "no record". */
export class DnsLookupError extends Error {
  override readonly name = "DnsLookupError";
}

const TXT_TYPE = 16; /* RFC 1035 */
const NXDOMAIN = 3; /* RFC 1035 RCODE: the name does not exist, so it has no TXT record either */

export class DnsTxtVerifier implements DomainVerifier {
  readonly kind = "dns";
  readonly #resolver: TxtResolver;

  constructor(resolver: TxtResolver) {
    this.#resolver = resolver;
  }

  async register(hostname: string, token: string): Promise<{ providerId: null; challenge: Challenge }> {
    return { providerId: null, challenge: { dns: { type: "TXT", name: challengeName(hostname), value: token } } };
  }

  async check(claim: DomainClaim): Promise<DomainCheck> {
    const name = challengeName(claim.hostname);
    let records: string[];
    try {
      records = await this.#resolver.txt(name);
    } catch (error) {
      console.error(`TXT lookup of ${name} failed:`, error);
      throw new ApiError("domain_check_unavailable", "The DNS resolver could not be asked; retry shortly");
    }
    if (records.some((record) => record.trim() === claim.token)) return { verified: true };
    if (records.length === 0) return { verified: false, reason: `No TXT record found at ${name}` };
    return { verified: false, reason: `The TXT records at ${name} do not hold this claim's value` };
  }

  async release(): Promise<void> {
    // Nothing was set up outside the database.
  }
}

export function challengeName(hostname: string): string {
  return `${CHALLENGE_LABEL}.${hostname}`;
}

/** A TxtResolver over a DNS-over-HTTPS JSON endpoint (Cloudflare's 1.1.1.1, Google's dns.google). */
export function createDohResolver(endpoint: string, fetcher: typeof fetch = fetch): TxtResolver {
  const base = new URL(endpoint);
  return {
    async txt(name) {
      const url = new URL(base);
      url.searchParams.set("name", name);
      url.searchParams.set("type", "TXT");
      const response = await fetcher(url, {
        headers: { accept: "application/dns-json" },
        redirect: "error",
        signal: AbortSignal.timeout(DNS_LOOKUP_TIMEOUT_MS),
      });
      const text = await response.text();
      if (!response.ok) throw new DnsLookupError(`resolver answered HTTP ${response.status}`);
      if (text.length > MAX_DNS_ANSWER_BYTES) throw new DnsLookupError("resolver answer too large");
      return txtRecordsOf(JSON.parse(text) as DohAnswer);
    },
  };
}

interface DohAnswer {
  Status?: number;
  Answer?: { type?: number; data?: unknown }[];
}

/** TXT strings of a DNS JSON answer; NXDOMAIN is "no record", any other failure status is an error. */
export function txtRecordsOf(answer: DohAnswer): string[] {
  if (answer.Status === NXDOMAIN) return [];
  if (answer.Status !== 0) throw new DnsLookupError(`resolver status ${String(answer.Status)}`);
  return (answer.Answer ?? [])
    .filter((record) => record.type === TXT_TYPE && typeof record.data === "string")
    .map((record) => joinCharacterStrings(record.data as string));
}

/**
 * A TXT record's data as one string. Resolvers write it quoted, a record longer than 255 bytes as several
 * quoted strings (`"abc" "def"`), which RFC 7208 3.3 reads as one concatenated value; some leave it unquoted.
 */
export function joinCharacterStrings(data: string): string {
  if (!data.startsWith('"')) return data;
  let joined = "";
  for (const match of data.matchAll(/"((?:[^"\\]|\\.)*)"/g)) joined += match[1]!.replace(/\\(.)/g, "$1");
  return joined;
}
