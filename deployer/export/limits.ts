// How much data one export carries. An export is one control-plane request answered with one JSON document,
// so both the work and the answer are bounded; the answer says when a bound was reached (complete: false).

/**
 * KV keys per export. Each exported key is one KV read, and a Worker invocation on Cloudflare may make
 * 1,000 KV operations: 900 leaves room for the list pages.
 */
export const EXPORT_MAX_KV_KEYS = 900;
/** KV values per export, in bytes (before base64/JSON escaping): keeps the answer well inside 128 MB of memory. */
export const EXPORT_MAX_KV_BYTES = 8 * 1024 * 1024; /* 8 MiB */
/** The SQL dump, in bytes: the same reasoning. */
export const EXPORT_MAX_SQL_BYTES = 8 * 1024 * 1024; /* 8 MiB */
/** Parallel KV reads while exporting. */
export const EXPORT_KV_CONCURRENCY = 50;
