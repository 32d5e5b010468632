// Server-side builds in a Cloudflare Sandbox (@cloudflare/sandbox, a container per build) for sources that need
// their npm dependencies installed, or their tests run, before deploy: things esbuild-wasm in the deployer
// cannot do. The files are written, then install, test and build run as separate steps whose output streams
// back to the caller as it comes; each step has a deadline; the sandbox is destroyed whatever happens. The
// result is one ES module of the user's code with its dependencies, which then goes through the normal build
// (shim, checks, versioning) as a single file.
// Needs Containers: configured only in the Cloudflare configuration (deployer/wrangler.jsonc, env.production)
// and never run here (no Docker engine); tested against a stand-in of the same interface.

import type { Sandbox } from "@cloudflare/sandbox";
import { ApiError } from "../../platform/errors.ts";
import { fileNameProblem } from "../../platform/source-rules.ts";

/** The part of the Sandbox SDK the builder uses; the SDK's own Sandbox stub satisfies it (checked by tsc). */
export type BuildSandbox = Pick<Sandbox, "writeFile" | "exec" | "readFile" | "destroy">;

export const WORKDIR = "/workspace/pulse";
export const OUTFILE = "/workspace/out/pulse.js";
/** The same esbuild as the deployer's esbuild-wasm, so a sandbox bundle and a direct upload build alike. */
export const ESBUILD_VERSION = "0.28.2";
export const DEFAULT_STEP_TIMEOUT_MS = 120_000; /* npm install of a large tree can take a minute or two */
export const DEFAULT_TOTAL_TIMEOUT_MS = 300_000; /* a deploy call should not hang longer than this */
export const MAX_OUTPUT_CHARS = 20_000; /* kept per failed step for the error answer; the stream has everything */

export type BuildStep = "write" | "install" | "test" | "build" | "read";

export interface SandboxBuildRequest {
  files: Record<string, string>;
  main: string;
  /** Run `npm test` (the project's own test script) before building. */
  runTests?: boolean;
}

export interface BuildOutput {
  step: BuildStep;
  stream: "stdout" | "stderr";
  data: string;
}

export interface SandboxBuildOptions {
  onOutput?: (output: BuildOutput) => void;
  stepTimeoutMs?: number;
  totalTimeoutMs?: number;
}

export type SandboxBuildResult =
  | { ok: true; code: string }
  | {
      ok: false;
      step: BuildStep;
      reason: "invalid_source" | "failed" | "timeout";
      exitCode?: number;
      message: string;
      output: string;
    };

class StepFailure extends Error {
  readonly step: BuildStep;
  readonly reason: "invalid_source" | "failed" | "timeout";
  readonly exitCode: number | undefined;
  readonly output: string;
  constructor(
    step: BuildStep,
    reason: "invalid_source" | "failed" | "timeout",
    message: string,
    exitCode?: number,
    output = "",
  ) {
    super(message);
    this.step = step;
    this.reason = reason;
    this.exitCode = exitCode;
    this.output = output;
  }
}

/** The commands, in order, for a request: exported so the README and the tests name the same ones. */
export function buildCommands(request: SandboxBuildRequest): { step: BuildStep; command: string }[] {
  const hasPackage = "package.json" in request.files;
  const commands: { step: BuildStep; command: string }[] = [];
  if (hasPackage) {
    // Lifecycle scripts of dependencies are not run: install is for code to bundle, not to execute.
    const install = "package-lock.json" in request.files ? "npm ci" : "npm install";
    commands.push({ step: "install", command: `${install} --ignore-scripts --no-audit --no-fund` });
  }
  if (request.runTests) {
    if (!hasPackage)
      throw new StepFailure("test", "invalid_source", "runTests needs a package.json with a test script");
    commands.push({ step: "test", command: "npm test" });
  }
  commands.push({
    step: "build",
    command: `npx --yes esbuild@${ESBUILD_VERSION} ${shellQuote(request.main)} --bundle --format=esm --platform=neutral --main-fields=workerd,worker,module,main --conditions=workerd,worker,browser --target=es2022 --outfile=${OUTFILE}`,
  });
  return commands;
}

export async function buildInSandbox(
  sandbox: BuildSandbox,
  request: SandboxBuildRequest,
  options: SandboxBuildOptions = {},
): Promise<SandboxBuildResult> {
  const stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const deadline = Date.now() + (options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS);
  try {
    for (const name of Object.keys(request.files)) {
      const problem = fileNameProblem(name);
      if (problem) throw new StepFailure("write", "invalid_source", `${name}: ${problem}`);
    }
    if (!(request.main in request.files))
      throw new StepFailure("write", "invalid_source", `main file ${request.main} is not among the files`);
    const commands = buildCommands(request);
    for (const [name, content] of Object.entries(request.files)) {
      await withDeadline("write", Math.min(stepTimeoutMs, deadline - Date.now()), () =>
        sandbox.writeFile(`${WORKDIR}/${name}`, content),
      );
    }
    for (const { step, command } of commands)
      await runStep(sandbox, step, command, Math.min(stepTimeoutMs, deadline - Date.now()), options.onOutput);
    const bundle = await withDeadline("read", Math.min(stepTimeoutMs, deadline - Date.now()), () =>
      sandbox.readFile(OUTFILE),
    );
    if (!bundle.success) throw new StepFailure("read", "failed", "the build produced no bundle");
    return { ok: true, code: bundle.content };
  } catch (error) {
    if (error instanceof StepFailure) {
      return {
        ok: false,
        step: error.step,
        reason: error.reason,
        ...(error.exitCode !== undefined ? { exitCode: error.exitCode } : {}),
        message: error.message,
        output: error.output,
      };
    }
    throw error;
  } finally {
    // A container per build: nothing of one tenant's build is left for the next.
    await sandbox.destroy().catch((e: unknown) => console.error("sandbox destroy failed:", e));
  }
}

async function runStep(
  sandbox: BuildSandbox,
  step: BuildStep,
  command: string,
  timeoutMs: number,
  onOutput?: (o: BuildOutput) => void,
): Promise<void> {
  let output = "";
  const controller = new AbortController();
  const result = await withDeadline(
    step,
    timeoutMs,
    () =>
      sandbox.exec(command, {
        cwd: WORKDIR,
        stream: true,
        timeout: timeoutMs,
        signal: controller.signal,
        onOutput: (stream, data) => {
          output = (output + data).slice(-MAX_OUTPUT_CHARS);
          onOutput?.({ step, stream, data });
        },
      }),
    () => controller.abort(),
  );
  if (!result.success)
    throw new StepFailure(
      step,
      "failed",
      `${step} failed: \`${command}\` exited with ${result.exitCode}`,
      result.exitCode,
      output,
    );
}

/** Runs `work` with a deadline of its own, whatever the sandbox does with its timeout option. */
async function withDeadline<T>(
  step: BuildStep,
  timeoutMs: number,
  work: () => Promise<T>,
  onTimeout?: () => void,
): Promise<T> {
  if (timeoutMs <= 0) throw new StepFailure(step, "timeout", `the build ran out of time before the ${step} step`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new StepFailure(step, "timeout", `${step} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The build as a stream for the deploy call: one JSON line per output chunk ({"type":"output",...}) as it
 * comes, then one {"type":"result",...} line. The bundle itself is not streamed back: the caller deploys it.
 */
export function streamBuild(
  run: (onOutput: (o: BuildOutput) => void) => Promise<SandboxBuildResult>,
  onResult: (r: SandboxBuildResult) => Promise<unknown>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async start(controller) {
      const send = (value: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
      try {
        const result = await run((o) => send({ type: "output", ...o }));
        const after = await onResult(result);
        send({
          type: "result",
          ...(result.ok ? { ok: true } : result),
          ...(after && typeof after === "object" ? after : {}),
        });
      } catch (error) {
        // The platform's own refusals (build_failed, publish_failed...) are meant for the caller; anything else is not.
        if (error instanceof ApiError)
          send({ type: "result", ok: false, reason: "failed", code: error.code, message: error.message });
        else {
          console.error("sandbox build failed:", error);
          send({ type: "result", ok: false, reason: "failed", message: "The build could not be run; retry shortly" });
        }
      }
      controller.close();
    },
  });
}
