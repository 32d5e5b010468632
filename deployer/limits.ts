// The control plane's own bounds: how long a build may hold the bundler, and how many requests a token or a
// tenant may make. Builds run inside the control plane's process (esbuild-wasm in the deployer Worker; locally
// the same workerd process as the dispatcher), so what bounds a build bounds what one uploader costs everyone.

/**
 * A build that has not answered after this long is given up and its esbuild instance replaced. Warm builds
 * take milliseconds and a 1 MiB source a few seconds on this 2-core machine; a wedged instance would otherwise
 * hold every later upload.
 */
export const BUILD_TIMEOUT_MS = 30_000;
/** How often a running build checks that its esbuild instance is still alive (a dead one never answers). */
export const BUILD_PROBE_INTERVAL_MS = 1_000;
