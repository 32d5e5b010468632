// The control plane's own bounds: how long a build may hold the bundler, and how many requests a token or a
// tenant may make. Builds run inside the control plane's process (esbuild-wasm in the deployer Worker; locally
// the same workerd process as the dispatcher), so what bounds a build bounds what one uploader costs everyone.

/**
 * A build that has not answered after this long is given up and its esbuild instance replaced. Warm builds
 * take milliseconds and the largest source (512 KiB) a few seconds on this 2-core machine; a wedged instance
 * would otherwise hold every later upload.
 */
export const BUILD_TIMEOUT_MS = 30_000;
/** How often a running build checks that its esbuild instance is still alive (a dead one never answers). */
export const BUILD_PROBE_INTERVAL_MS = 1_000;

/**
 * Control API requests per minute, per token subject and per tenant (token buckets: a burst up to the
 * allowance, then a steady rate). The CLI and Studio make a few requests a second at most (a log tail polls
 * once a second); 600 leaves them room and stops a script from monopolising the control plane.
 */
export const CONTROL_REQUESTS_PER_MINUTE_PER_TOKEN = 600;
/** A tenant's tokens together (several developers, CI): twice one token's allowance. */
export const CONTROL_REQUESTS_PER_MINUTE_PER_TENANT = 1_200;
/**
 * Builds (uploads, sandbox builds, previews) per minute, charged by size: one unit per request plus one per
 * BUILD_BYTES_PER_UNIT of body. A build holds the control plane's process (a 1 MiB source took ~1.35 s, during
 * which locally every tenant's requests wait), so one token may spend ~60 small builds or ~6 of the largest a
 * minute (~5 s of the process), a tenant twice that: a deploy loop of a CI job or of the bench fits, a loop of
 * the largest uploads stalling everyone does not.
 */
export const BUILD_UNITS_PER_MINUTE_PER_TOKEN = 60;
export const BUILD_UNITS_PER_MINUTE_PER_TENANT = 120;
/** 64 KiB of request body: the largest upload (512 KiB) costs 9 units, a typical one 1. */
export const BUILD_BYTES_PER_UNIT = 64 * 1024;
/** Keys (token subjects and tenants) tracked at once; past it the least recently seen starts full again. */
export const CONTROL_RATE_TRACKED_KEYS = 50_000;

/**
 * Scripts of a pulse kept in the dispatch namespace besides the live one, most recently live first
 * (SCRIPT_ROLLBACK_DEPTH overrides it). A rollback uploads its version again from the bundle store, so older
 * versions stay reachable without their script; a kept script is what a rollback falls back to when Cloudflare
 * refuses that upload (an API incident is when rollbacks are wanted most). Three covers "the last deploy was
 * bad, and so was the one before" at ~3 scripts per pulse against the namespace's script count.
 */
export const DEFAULT_SCRIPT_ROLLBACK_DEPTH = 3;
/** Above this a depth is a typo: each kept script is a script in the namespace for every pulse. */
export const MAX_SCRIPT_ROLLBACK_DEPTH = 50;
/**
 * A script that stopped serving is not deleted before this long: requests already running in it may last a
 * plan's wall time (at most 15 min) and other dispatcher isolates may still route to it for a route-cache TTL.
 */
export const RETIRED_SCRIPT_GRACE_MS = 20 * 60_000;
/** A failed deletion is retried after this, doubled per failure up to SWEEP_RETRY_MAX_MS. */
export const SWEEP_RETRY_BASE_MS = 15 * 60_000;
export const SWEEP_RETRY_MAX_MS = 24 * 3_600_000;
/** Deletions per scheduled sweep: each is one API call, and the account's API allows 1,200 calls per 5 min. */
export const SWEEP_MAX_DELETIONS = 200;
