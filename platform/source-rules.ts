// What an upload may contain, checked before anything is built. Pure: the control plane answers each failure
// with 422 source_invalid listing every problem, and the CLI can run the same checks before uploading.

import { nestingProblem } from "./source-nesting.ts";

/**
 * 512 KiB of source: a build (esbuild-wasm bundle + capability scan) must fit the deployer's isolate, 128 MB on
 * Cloudflare. Measured with bench/build-memory.ts (V8 heap + esbuild's wasm memory right after the build, Node
 * 22, 2026-12-07): the worst shape tried, TypeScript spread over 50 files, holds 97 MiB at 512 KiB (163 MiB at
 * the 1 MiB cap before this one: over the limit); real package bundles as `pulse deploy` uploads them, 62-107
 * MiB from 407 KiB to 950 KiB. At 512 KiB that leaves ~25 MiB (a fifth of the limit) for the heap's peak above
 * what was measured and the deployer's own code, and every bundle of the package corpus fits once minified.
 */
export const MAX_SOURCE_BYTES = 512 * 1024;
export const MAX_FILES = 100; /* per upload */
export const MAX_PATH_BYTES = 200; /* per file name */
export const MAX_BUNDLE_BYTES = 2 * 1024 * 1024; /* 2 MiB of output: well under Workers' script size limits */
/**
 * Nesting levels per file (brackets plus chained operators; platform/source-nesting.ts): esbuild-wasm's
 * parser recurses per level and ~8,000 kill its Go runtime inside workerd. Hand-written code stays under ~50
 * and generated data under a few hundred; 500 keeps a wide margin both ways.
 */
export const MAX_NESTING_DEPTH = 500;
/** Arrow functions nested in one another: esbuild's time grows much faster than their count (measured
 * ~0.5 s at 100, ~5 s at 200 on esbuild-wasm), while curried code nests a handful. */
export const MAX_ARROW_CHAIN = 32;

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const EXTENSIONS = [".ts", ".tsx", ".mts", ".js", ".mjs", ".jsx", ".json"];
const ENTRY_EXTENSIONS = [".ts", ".tsx", ".mts", ".js", ".mjs", ".jsx"];

export interface SourceProblem {
  file: string | null;
  /** Where in `file`, when the problem has a place (1-based). */
  line?: number;
  column?: number;
  text: string;
}

/** A file name is a relative POSIX path of plain segments: no "..", no absolute path, no backslash. */
export function fileNameProblem(name: string): string | null {
  if (new TextEncoder().encode(name).byteLength > MAX_PATH_BYTES)
    return `file name is longer than ${MAX_PATH_BYTES} bytes`;
  if (name.includes("\\")) return "file names use forward slashes only";
  if (name.startsWith("/")) return "file names are relative (no leading /)";
  const segments = name.split("/");
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..")
      return `file name has an empty, "." or ".." segment (path traversal is refused)`;
    if (!SEGMENT.test(segment))
      return `file name segment "${segment}" may only use letters, digits, "_", "-" and "." (and not start with "." or "-")`;
  }
  if (!EXTENSIONS.some((ext) => name.endsWith(ext))) return `file type not supported (use ${EXTENSIONS.join(", ")})`;
  return null;
}

export function sourceProblems(files: Record<string, string>, main: string): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const names = Object.keys(files);
  if (names.length === 0) problems.push({ file: null, text: "no files uploaded" });
  if (names.length > MAX_FILES)
    problems.push({ file: null, text: `too many files: at most ${MAX_FILES}, got ${names.length}` });
  let total = 0;
  for (const name of names) {
    const problem = fileNameProblem(name);
    if (problem) problems.push({ file: name, text: problem });
    total += new TextEncoder().encode(files[name]!).byteLength;
  }
  // Measured only on a source of allowed size: the pass is linear, but there is no reason to run it on 100 MiB.
  if (total <= MAX_SOURCE_BYTES) {
    for (const name of names) {
      const deep = nestingProblem(files[name]!, { depth: MAX_NESTING_DEPTH, arrows: MAX_ARROW_CHAIN });
      if (deep) problems.push({ file: name, ...deep });
    }
  }
  if (total > MAX_SOURCE_BYTES)
    problems.push({ file: null, text: `source is too large: at most ${MAX_SOURCE_BYTES} bytes in all, got ${total}` });
  if (!Object.hasOwn(files, main))
    problems.push({ file: main, text: `main file "${main}" is not among the uploaded files` });
  else if (!ENTRY_EXTENSIONS.some((ext) => main.endsWith(ext)))
    problems.push({ file: main, text: "main file must be TypeScript or JavaScript" });
  return problems;
}
