// A pulse project on disk: pulse.json ({ "name", "main", "staticFiles"? }), its files (honouring .gitignore and
// .pulseignore), its static files (public/ unless pulse.json names another folder), and, when it has npm
// dependencies, a bundle made here with esbuild-wasm so real packages work without a server-side build.

import ignore from "ignore";
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { fileNameProblem, MAX_FILES, MAX_SOURCE_BYTES } from "../platform/source-rules.ts";
import { MAX_STATIC_FILES_ANY_PLAN, staticPathProblem } from "../platform/static-files.ts";
import { WORKERD_BUNDLE } from "../platform/bundle.ts";
import { nodeBuiltinsPlugin, refusedBuiltinMessage } from "../platform/node-builtins.ts";
import { CliError, EXIT } from "./errors.ts";

export interface ProjectConfig {
  name: string;
  main: string;
  staticFiles?: StaticFilesConfig;
}

/** pulse.json's "staticFiles": where the files are and how requests that match none are answered. */
export interface StaticFilesConfig {
  /** The folder served at the pulse's URL, relative to the project (default "public"). */
  dir?: string;
  /** Page requests that match no file get index.html (a single-page app). */
  spa?: boolean;
  /** Only paths under this prefix ("/api/") reach run(). */
  runPrefix?: string;
}

/** The folder of static files when pulse.json does not name one. */
export const DEFAULT_STATIC_DIR = "public";

export async function readProject(dir: string): Promise<ProjectConfig> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, "pulse.json"), "utf8")) as Partial<ProjectConfig>;
    if (!parsed.name) throw new Error("no name");
    return {
      name: parsed.name,
      main: parsed.main ?? "index.ts",
      ...(parsed.staticFiles ? { staticFiles: parsed.staticFiles } : {}),
    };
  } catch {
    throw new CliError(`No pulse project in ${dir}`, {
      exitCode: EXIT.usage,
      hint: "run `pulse init` there, or give --name",
    });
  }
}

const ALWAYS_IGNORED = [
  "node_modules/",
  ".git/",
  ".pulse/",
  "dist/",
  "pulse.json",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "*.d.ts",
  ".*",
];

/**
 * Source files to upload: every file a pulse may contain, minus what the ignore files exclude and the static
 * files folder (its scripts are the browser's, not the pulse's).
 */
export async function collectFiles(dir: string): Promise<Record<string, string>> {
  const ig = ignore()
    .add(ALWAYS_IGNORED)
    .add(`${await staticDirOf(dir)}/`);
  for (const f of [".gitignore", ".pulseignore"])
    if (existsSync(join(dir, f))) ig.add(await readFile(join(dir, f), "utf8"));
  const files: Record<string, string> = {};
  const walk = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const abs = join(current, entry.name);
      const rel = relative(dir, abs).split(sep).join("/");
      if (ig.ignores(entry.isDirectory() ? `${rel}/` : rel)) continue;
      if (entry.isDirectory()) await walk(abs);
      else if (entry.isFile() && fileNameProblem(rel) === null) {
        files[rel] = await readFile(abs, "utf8");
        if (Object.keys(files).length > MAX_FILES)
          throw new CliError(`More than ${MAX_FILES} files to upload`, {
            exitCode: EXIT.usage,
            hint: "list what to leave out in .pulseignore",
          });
      }
    }
  };
  await walk(dir);
  return files;
}

/** True when the project declares npm dependencies that are installed: those are bundled locally. */
export async function hasNpmDependencies(dir: string): Promise<boolean> {
  if (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "node_modules"))) return false;
  const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(pkg.dependencies ?? {}).length > 0;
}

/**
 * The project with its npm dependencies, as one module: esbuild (the engine the platform uses, here native)
 * resolves packages from node_modules here; the platform then only adds the runtime shim. Packages are bundled
 * for browsers (workerd is closer to a browser than to Node: package.json "browser" maps, which swap Node-only
 * files for fetch-based ones, apply) in production mode. Unminified, so the bundle keeps the comments that say
 * which package each part came from (the manifest reports per package); minified only when that alone fits
 * the platform's source cap.
 */
export async function bundleWithDependencies(
  dir: string,
  main: string,
): Promise<
  | { files: Record<string, string>; main: string; minified: boolean }
  | { errors: { file: string | null; line: number | null; column: number | null; text: string }[] }
> {
  const esbuild = await localEsbuild();
  const build = (minify: boolean) =>
    esbuild.build({
      entryPoints: [join(dir, main)],
      absWorkingDir: dir,
      ...WORKERD_BUNDLE,
      platform: "browser",
      define: { "process.env.NODE_ENV": '"production"' },
      minify,
      // Minified code keeps its functions' and classes' names: code tells errors apart by them
      // (`err.name`, `err.constructor.name`; measured: stripe's StripeSignatureVerificationError became "I").
      keepNames: minify,
      // The platform's rule for Node.js built-ins: allowed ones stay imports, refused ones fail here already.
      plugins: [nodeBuiltinsPlugin()],
    });
  try {
    let code = (await build(false)).outputFiles[0]!.text;
    const minified = Buffer.byteLength(code) > MAX_SOURCE_BYTES;
    if (minified) code = (await build(true)).outputFiles[0]!.text;
    return { files: { "index.js": code }, main: "index.js", minified };
  } catch (error) {
    const errors =
      (error as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] })
        .errors ?? [];
    return {
      errors: errors.map((e) => ({
        file: e.location?.file ?? null,
        line: e.location?.line ?? null,
        column: e.location ? e.location.column + 1 : null,
        text: refusedBuiltinMessage(e.text),
      })),
    };
  }
}

/**
 * Native esbuild where its binary for this machine is installed (an optional dependency of esbuild per platform):
 * the wasm build takes ~15 CPU-seconds to start in each CLI process. The wasm build is the same engine, and the
 * fallback where no native binary exists.
 */
async function localEsbuild(): Promise<typeof import("esbuild")> {
  try {
    const native = await import("esbuild");
    await native.transform("");
    return native;
  } catch {
    return (await import("esbuild-wasm")) as unknown as typeof import("esbuild");
  }
}

/** pulse.json's "staticFiles", if the project has one (a project without pulse.json uses the defaults). */
async function staticConfigOf(dir: string): Promise<StaticFilesConfig | undefined> {
  try {
    return (JSON.parse(await readFile(join(dir, "pulse.json"), "utf8")) as Partial<ProjectConfig>).staticFiles;
  } catch {
    return undefined;
  }
}

/** The static files folder, relative to the project, with forward slashes and no trailing slash. */
async function staticDirOf(dir: string): Promise<string> {
  const config = await staticConfigOf(dir);
  return (config?.dir ?? DEFAULT_STATIC_DIR).replace(/\\/g, "/").replace(/^\.\/|\/+$/g, "");
}

/**
 * The project's static files as the upload carries them (path -> base64, with the options from pulse.json), or
 * undefined when the folder does not exist. Names the platform would refuse stop here, with the name.
 */
export async function collectStaticFiles(
  dir: string,
): Promise<{ staticFiles: { files: Record<string, string>; spa?: boolean; runPrefix?: string } } | undefined> {
  const config = await staticConfigOf(dir);
  const root = join(dir, await staticDirOf(dir));
  if (!existsSync(root) || !(await stat(root)).isDirectory()) return undefined;
  const files: Record<string, string> = {};
  let count = 0;
  const walk = async (current: string) => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const abs = join(current, entry.name);
      if (entry.isDirectory()) await walk(abs);
      if (!entry.isFile()) continue;
      const rel = relative(root, abs).split(sep).join("/");
      const problem = staticPathProblem(rel);
      if (problem) throw new CliError(`Static file ${rel}: ${problem}`, { exitCode: EXIT.usage });
      if (++count > MAX_STATIC_FILES_ANY_PLAN)
        throw new CliError(`More than ${MAX_STATIC_FILES_ANY_PLAN} static files`, { exitCode: EXIT.usage });
      files[rel] = (await readFile(abs)).toString("base64");
    }
  };
  await walk(root);
  return {
    staticFiles: {
      files,
      ...(config?.spa !== undefined ? { spa: config.spa } : {}),
      ...(config?.runPrefix !== undefined ? { runPrefix: config.runPrefix } : {}),
    },
  };
}
