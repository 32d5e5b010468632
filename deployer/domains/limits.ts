// Limits of custom domains, with the reason for each number.

/** Custom domains per pulse: an app with its apex, www and a few regional names fits; a squatter does not. */
export const MAX_DOMAINS_PER_PULSE = 20;

/**
 * How long a pending claim holds a hostname against other pulses: 72 h (3 days) gives the owner time to
 * publish a DNS record, and bounds how long someone who cannot prove the name can keep its owner from adding it.
 */
export const PENDING_CLAIM_LIFETIME_MS = 72 * 3600 * 1000;

/** One DNS-over-HTTPS lookup: 5 s (5,000 ms), well above a resolver's usual answer, below a client's patience. */
export const DNS_LOOKUP_TIMEOUT_MS = 5000;

/** A DNS-over-HTTPS answer larger than 64 KiB (65,536 bytes) is not a TXT answer we asked for. */
export const MAX_DNS_ANSWER_BYTES = 64 * 1024;

/** Bytes of randomness in a challenge token: 16 (128 bits), as hex in the TXT record. */
export const CHALLENGE_TOKEN_BYTES = 16;

/** The resolver asked when DNS_RESOLVER_URL is not set: Cloudflare's DNS-over-HTTPS JSON endpoint. */
export const DEFAULT_DNS_RESOLVER_URL = "https://cloudflare-dns.com/dns-query";

/**
 * Pending claims checked per scheduled run: 50, so a run stays far below the 1,000 subrequests a Worker
 * invocation may make (one Cloudflare API call each) and well inside its time.
 */
export const DOMAIN_POLL_BATCH = 50;
