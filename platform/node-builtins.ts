// Which Node.js built-in modules a pulse may import, in one place for every bundler of pulse code (the deployer's
// build and the CLI's local npm bundling). Pulses run with workerd's nodejs_compat flag; a module is allowed when
// it computes and nothing more (Buffer, crypto, streams, events, ...). Modules that reach a file system, a
// socket, a process, a thread or the host are refused at build time with the reason, so a package that needs
// one fails its deploy with a clear message instead of failing later at runtime. The runtime does not rely on
// this list: workerd's node:fs is an in-memory file system of the isolate, raw sockets go to the outbound gate
// (which refuses them), and process.env holds only the pulse's own text bindings (see docs/node-builtins.md).

import type { Plugin } from "esbuild";

/** Built-ins that work in a pulse: pure computation, provided by workerd under nodejs_compat. */
const ALLOWED = new Set([
  "assert",
  "assert/strict",
  "async_hooks",
  "buffer",
  "console",
  "crypto",
  "diagnostics_channel",
  "events",
  "path",
  "path/posix",
  "path/win32",
  "perf_hooks",
  "process",
  "punycode",
  "querystring",
  "stream",
  "stream/consumers",
  "stream/promises",
  "stream/web",
  "string_decoder",
  "timers",
  "timers/promises",
  "url",
  "util",
  "util/types",
  "zlib",
]);

const NO_FILES = "pulses have no file system: keep data in env.kv or env.db";
const NO_SOCKETS = "pulses open no sockets and serve no ports: use fetch() for outgoing requests";
const NO_PROCESSES = "pulses cannot start processes or threads";

/** Built-ins refused, with why. Any other Node.js built-in not in ALLOWED is refused with a general reason. */
const REFUSED = new Map<string, string>([
  ["fs", NO_FILES],
  ["fs/promises", NO_FILES],
  ["net", NO_SOCKETS],
  ["tls", NO_SOCKETS],
  ["dgram", NO_SOCKETS],
  ["http", NO_SOCKETS],
  ["https", NO_SOCKETS],
  ["http2", NO_SOCKETS],
  ["dns", NO_SOCKETS],
  ["dns/promises", NO_SOCKETS],
  ["child_process", NO_PROCESSES],
  ["cluster", NO_PROCESSES],
  ["worker_threads", NO_PROCESSES],
  ["os", "pulses do not see the host (its name, users, network interfaces or environment)"],
  ["module", "pulses load only the modules bundled with them"],
  ["vm", "pulses run only their bundled code"],
  ["inspector", "the debugger of the platform is not open to pulses"],
  ["v8", "the engine's internals are not open to pulses"],
]);

/**
 * Every Node.js built-in name, for recognising a bare import ("crypto") as the built-in and not an npm package.
 * Node's own list (node:module's builtinModules) is not available inside the deployer Worker, hence a copy.
 */
const NODE_BUILTINS = new Set([
  ...ALLOWED,
  ...REFUSED.keys(),
  "constants",
  "domain",
  "readline",
  "readline/promises",
  "repl",
  "sqlite",
  "sys",
  "test",
  "trace_events",
  "tty",
  "wasi",
  "sea",
]);

export type BuiltinResolution = { external: string } | { refused: string } | null;

/**
 * What an import of `specifier` is: an allowed built-in (kept as an import of "node:<name>", the form workerd
 * resolves), a refused built-in (with the reason to show), or null when it is not a Node.js built-in.
 */
export function resolveNodeBuiltin(specifier: string): BuiltinResolution {
  const prefixed = specifier.startsWith("node:");
  const name = prefixed ? specifier.slice(5) : specifier;
  if (!prefixed && !NODE_BUILTINS.has(name)) return null;
  if (ALLOWED.has(name)) return { external: `node:${name}` };
  const reason = REFUSED.get(name) ?? "it is not available to pulses";
  return { refused: `"${specifier}" cannot be imported by a pulse: ${reason} (see docs/node-builtins.md)` };
}

const BUILTIN_REQUIRE = "pulse-node-require";

/**
 * The esbuild plugin both bundlers use. An allowed built-in stays an import; a CommonJS require() of one
 * (common in npm packages) becomes a tiny module that imports it, since an ES module bundle has no require.
 * `filter` narrows the plugin to what could be a built-in, so it costs nothing on other imports.
 */
export function nodeBuiltinsPlugin(): Plugin {
  return {
    name: "pulse-node-builtins",
    setup(build) {
      build.onResolve({ filter: /^[a-z_]+(\/[a-z_]+)?$|^node:/ }, (args) => {
        // A package may disable a built-in for browsers ("browser": { "fs": false }): under platform "browser"
        // esbuild applies that map only if the import reaches its own resolver; unmapped, it fails there and
        // refusedBuiltinMessage turns that failure into the refusal.
        if (
          build.initialOptions.platform === "browser" &&
          args.importer.includes("/node_modules/") &&
          isRefused(args.path)
        )
          return undefined;
        return nodeBuiltinResolve(args.path, args.kind);
      });
      build.onLoad({ filter: /.*/, namespace: BUILTIN_REQUIRE }, (args) => ({
        contents: `import builtin from ${JSON.stringify(args.path)};\nmodule.exports = builtin;\n`,
        loader: "js",
      }));
    },
  };
}

function isRefused(specifier: string): boolean {
  const resolution = resolveNodeBuiltin(specifier);
  return resolution !== null && "refused" in resolution;
}

/** esbuild's "Could not resolve" for a refused built-in, as the refusal that says why; other text unchanged. */
export function refusedBuiltinMessage(text: string): string {
  const specifier = /^Could not resolve "([^"]+)"$/.exec(text)?.[1];
  const resolution = specifier ? resolveNodeBuiltin(specifier) : null;
  return resolution && "refused" in resolution ? resolution.refused : text;
}

/** The onResolve answer for a built-in, or undefined to let other resolvers handle `path`. */
export function nodeBuiltinResolve(path: string, kind: string) {
  const resolution = resolveNodeBuiltin(path);
  if (resolution === null) return undefined;
  if ("refused" in resolution) return { errors: [{ text: resolution.refused }] };
  if (kind === "require-call") return { path: resolution.external, namespace: BUILTIN_REQUIRE };
  return { path: resolution.external, external: true };
}

/** The built-ins a pulse may import, for the documentation and its test. */
export const ALLOWED_NODE_BUILTINS: readonly string[] = [...ALLOWED];
