// Bounds of shadow replay, with their units and why. Recording runs on the hot path of every request of a
// pulse whose plan keeps invocations, so everything it keeps is small and everything it waits for is capped.

/** Request and response bodies kept per invocation: enough for JSON APIs; larger ones are dropped and marked. */
export const RECORDED_BODY_BYTES = 64 * 1024; /* 64 KiB */
/** Upstream answers kept per outgoing request: what a replay needs to answer the same fetch again. */
export const RECORDED_EXCHANGE_BODY_BYTES = 16 * 1024; /* 16 KiB */
/** Outgoing requests kept per invocation (all are counted). */
export const MAX_EXCHANGES = 32;
/** How long recording waits for a body to finish (a stream that never ends must not hold a recording open). */
export const RECORD_WAIT_MS = 5_000;
/** Invocations waiting for the outbound gate's captures at once per isolate: the oldest are dropped beyond it. */
export const MAX_PENDING_CAPTURES = 2_000;

/** A preview's copy of the live pulse's KV: the first keys and bytes only (the report says when it stopped). */
export const PREVIEW_KV_KEYS = 1_000;
export const PREVIEW_KV_BYTES = 8 * 1024 * 1024; /* 8 MiB */
/** A preview's copy of the live pulse's SQL database, as the size of its dump script. */
export const PREVIEW_SQL_BYTES = 8 * 1024 * 1024; /* 8 MiB */
/** Copied keys expire on their own after this if a preview's cleanup never runs. */
export const PREVIEW_KV_TTL_SECONDS = 3_600;
/** A preview replays inputs one after another until this much time has passed; the rest are marked skipped. */
export const PREVIEW_BUDGET_MS = 60_000;
/**
 * How long a candidate still running in a runtime cell at its wall time is waited for, to tell a stall from a slow
 * answer: the local watchdog takes about 5 s to find a stuck cell and restart it (probes every 500 ms, two missed,
 * a last one of 2 s: supervisor/watchdog.ts CELL_TIMING), which cuts the candidate's invocation off.
 */
export const STALL_VERDICT_MS = 8_000;
/** Changed paths listed per input. */
export const PREVIEW_DIFF_ENTRIES = 20;
/**
 * Cloudflare: how long the outbound Worker gathers captured subrequests before one call per pulse to its replay
 * store, as the dispatcher batches recordings (a Durable Object call per subrequest would cost each one a round
 * trip).
 */
export const EGRESS_CAPTURE_FLUSH_MS = 100;
/**
 * Cloudflare: rows of captured subrequests a replay store keeps per kept invocation (a row is one outbound
 * batch of one invocation, holding at least one subrequest), so they stay within what MAX_EXCHANGES per
 * invocation allows locally; the oldest go first.
 */
export const EGRESS_ROWS_PER_KEPT_INVOCATION = MAX_EXCHANGES;
