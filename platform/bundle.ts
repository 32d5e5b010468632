// Turns a developer's files into one ES module: their code plus the runtime shim. The same function runs on
// native esbuild in Node (seeding, tests) and on esbuild-wasm inside the deployer Worker: only the esbuild
// object differs. Nothing is read from disk: files come in as strings, imports resolve only among them.

import type { BuildOptions, BuildResult, Message, Plugin } from "esbuild";
import { nodeBuiltinsPlugin } from "./node-builtins.ts";

export interface EsbuildLike {
  build(options: BuildOptions & { write: false }): Promise<BuildResult<BuildOptions & { write: false }>>;
}

export interface PulseSource {
  /** Relative POSIX paths -> file contents. */
  files: Record<string, string>;
  /** The file that default-exports `run`. */
  main: string;
}

export type BundleResult =
  /** userFiles: the uploaded files the build reached (from esbuild's metafile). */
  { ok: true; code: string; userFiles: string[] } | { ok: false; errors: Diagnostic[] };

export interface Diagnostic {
  file: string | null;
  line: number | null;
  column: number | null;
  text: string;
}

const SHIM = "pulse:shim";
const SHIM_RUNTIME_IMPORT = "cloudflare:workers";
const ENTRY = "pulse:entry";
const USER_NS = "pulse-user";
const RESOLVE_EXTENSIONS = ["", ".ts", ".tsx", ".js", ".mjs", ".jsx", "/index.ts", "/index.js"];

/**
 * How anything is bundled for workerd, here and wherever the platform bundles code (its own Workers, the CLI's
 * local npm bundling): ES modules, package conditions and main fields a Worker resolves ("neutral" has no
 * main fields; packages without "exports" need them).
 */
export const WORKERD_TARGET = {
  format: "esm",
  platform: "neutral",
  target: "es2023",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["browser", "module", "main"],
} as const satisfies BuildOptions;

/** A bundle for workerd kept in memory, quietly: what every build of the platform starts from. */
export const WORKERD_BUNDLE = {
  ...WORKERD_TARGET,
  conditions: [...WORKERD_TARGET.conditions],
  mainFields: [...WORKERD_TARGET.mainFields],
  bundle: true as const,
  write: false as const, // literal, so esbuild's result types carry outputFiles
  logLevel: "silent" as const,
} satisfies BuildOptions;

/** Options shared by the shim build and the pulse build, so both target the runtime the same way. */
const COMMON: BuildOptions = { ...WORKERD_BUNDLE, legalComments: "none" };

export async function bundlePulse(esbuild: EsbuildLike, source: PulseSource, shimCode: string): Promise<BundleResult> {
  const main = normalisePath(source.main);
  const plugin: Plugin = {
    name: "pulse-virtual-files",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.path === ENTRY) return { path: ENTRY, namespace: ENTRY };
        if (args.path === SHIM) return { path: SHIM, namespace: SHIM };
        if (args.namespace === ENTRY && args.path === main) return resolveUser(source.files, main);
        // The shim alone reads the env the isolate was loaded with, to take the log binding out of it
        // (runtime-shim/log-capture.ts); to user code the module stays refused.
        if (args.path === SHIM_RUNTIME_IMPORT && args.namespace === SHIM) return { path: args.path, external: true };
        if (args.path.startsWith("cloudflare:")) {
          return { errors: [{ text: `"${args.path}" is not available to pulses: use env instead` }] };
        }
        if (args.path.startsWith(".") || args.path.startsWith("/")) {
          const base = args.namespace === USER_NS ? dirname(args.importer) : "";
          return resolveUser(source.files, joinPath(base, args.path));
        }
        return {
          errors: [
            {
              text:
                `Cannot import "${args.path}": only files uploaded with the pulse can be imported. ` +
                `Bundle npm dependencies before uploading.`,
            },
          ],
        };
      });
      build.onLoad({ filter: /.*/, namespace: ENTRY }, () => ({
        // The shim first: its module code (the fetch wrapper) must run before any user module code.
        // The namespace too: the shim reads the optional `schedule` and `scheduled` exports from it.
        contents: `import { servePulse } from "${SHIM}";\nimport run, * as pulseModule from ${JSON.stringify(main)};\nexport default servePulse(run, pulseModule);\n`,
        loader: "js",
      }));
      build.onLoad({ filter: /.*/, namespace: SHIM }, () => ({ contents: shimCode, loader: "js" }));
      build.onLoad({ filter: /.*/, namespace: USER_NS }, (args) => ({
        contents: source.files[args.path] ?? "",
        loader: loaderFor(args.path),
      }));
    },
  };
  try {
    // Node.js built-ins first: the allowed ones stay imports the runtime serves, the others fail the build.
    const plugins = [nodeBuiltinsPlugin(), plugin];
    const result = await esbuild.build({ ...COMMON, entryPoints: [ENTRY], plugins, write: false, metafile: true });
    const code = result.outputFiles?.[0]?.text;
    if (!code)
      return { ok: false, errors: [{ file: null, line: null, column: null, text: "The build produced no output" }] };
    const prefix = `${USER_NS}:`;
    const userFiles = Object.keys(result.metafile?.inputs ?? {})
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length));
    return { ok: true, code, userFiles };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!Array.isArray(errors)) throw error;
    return { ok: false, errors: errors.map(toDiagnostic) };
  }
}

/** The shim as one JS module, built from runtime-shim/ (Node side: the deployer gets it prebuilt). */
export async function bundleShim(esbuild: EsbuildLike, entryPath: string): Promise<string> {
  const result = await esbuild.build({
    ...COMMON,
    entryPoints: [entryPath],
    external: [SHIM_RUNTIME_IMPORT],
    plugins: [nodeBuiltinsPlugin()],
    write: false,
  });
  const code = result.outputFiles?.[0]?.text;
  if (!code) throw new Error("runtime shim build produced no output");
  return code;
}

function resolveUser(files: Record<string, string>, wanted: string) {
  for (const ext of RESOLVE_EXTENSIONS) {
    const candidate = normalisePath(wanted + ext);
    if (Object.hasOwn(files, candidate)) return { path: candidate, namespace: USER_NS };
  }
  return { errors: [{ text: `Cannot find "${normalisePath(wanted)}" among the uploaded files` }] };
}

function toDiagnostic(m: Message): Diagnostic {
  return {
    file: m.location?.file?.replace(/^pulse-user:/, "") ?? null,
    line: m.location?.line ?? null,
    column: m.location ? m.location.column + 1 : null,
    text: m.text,
  };
}

/** The esbuild loader for an uploaded file, by extension. */
export function loaderFor(path: string): "ts" | "tsx" | "js" | "jsx" | "json" {
  if (path.endsWith(".ts") || path.endsWith(".mts")) return "ts";
  if (path.endsWith(".tsx")) return "tsx";
  if (path.endsWith(".jsx")) return "jsx";
  if (path.endsWith(".json")) return "json";
  return "js";
}

/** POSIX normalisation without escaping the root: "a/../../b" -> "b" (the caller validates names). */
export function normalisePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i === -1 ? "" : path.slice(0, i);
}

function joinPath(base: string, rel: string): string {
  return rel.startsWith("/") ? rel : `${base}/${rel}`;
}
