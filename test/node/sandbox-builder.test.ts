// The sandbox builder's orchestration against a stand-in of the Sandbox SDK's interface (Containers cannot run
// here): the files it writes, the commands it issues in order, output streamed as it comes, step deadlines,
// failures reported with their step, and the sandbox destroyed every time.

import { describe, expect, it } from "vitest";
import {
  buildInSandbox,
  ESBUILD_VERSION,
  OUTFILE,
  streamBuild,
  WORKDIR,
  type BuildOutput,
} from "../../deployer/build/sandbox-builder.ts";
import { asSandbox, StandInSandbox } from "../support/stand-in-sandbox.ts";

const BUILD = `npx --yes esbuild@${ESBUILD_VERSION} 'index.ts'`;
const files = {
  "index.ts": 'import { nanoid } from "nanoid";\nexport default async () => nanoid();\n',
  "package.json": '{"dependencies":{"nanoid":"5.0.0"},"scripts":{"test":"node test.js"}}',
  "package-lock.json": "{}",
};

describe("sandbox builder", () => {
  it("writes the files, installs from the lockfile, tests, builds, and returns the bundle", async () => {
    const sandbox = new StandInSandbox({ [BUILD]: { writes: { [OUTFILE]: "export default async () => 'x';" } } });
    const result = await buildInSandbox(asSandbox(sandbox), { files, main: "index.ts", runTests: true });
    expect(result).toEqual({ ok: true, code: "export default async () => 'x';" });
    expect([...sandbox.files.keys()].filter((p) => p.startsWith(WORKDIR))).toEqual(
      Object.keys(files).map((f) => `${WORKDIR}/${f}`),
    );
    expect(sandbox.commands.map((c) => c.command)).toEqual([
      "npm ci --ignore-scripts --no-audit --no-fund",
      "npm test",
      `npx --yes esbuild@${ESBUILD_VERSION} 'index.ts' --bundle --format=esm --platform=neutral --main-fields=workerd,worker,module,main --conditions=workerd,worker,browser --target=es2022 --outfile=${OUTFILE}`,
    ]);
    expect(sandbox.commands.every((c) => c.cwd === WORKDIR && c.stream === true && typeof c.timeout === "number")).toBe(
      true,
    );
    expect(sandbox.destroyed).toBe(1);
  });

  it("uses npm install without a lockfile, and skips install and tests for plain sources", async () => {
    const withoutLock = new StandInSandbox({ [BUILD]: { writes: { [OUTFILE]: "x" } } });
    await buildInSandbox(asSandbox(withoutLock), {
      files: { "index.ts": files["index.ts"], "package.json": files["package.json"] },
      main: "index.ts",
    });
    expect(withoutLock.commands.map((c) => c.command.split(" ").slice(0, 2).join(" "))).toEqual([
      "npm install",
      "npx --yes",
    ]);
    const plain = new StandInSandbox({ [BUILD]: { writes: { [OUTFILE]: "x" } } });
    await buildInSandbox(asSandbox(plain), { files: { "index.ts": "export default () => 1" }, main: "index.ts" });
    expect(plain.commands).toHaveLength(1);
  });

  it("streams each step's output as it comes, in order, tagged with the step", async () => {
    const seen: BuildOutput[] = [];
    const sandbox = new StandInSandbox({
      "npm ci": {
        chunks: [
          ["stdout", "added 1 package\n"],
          ["stderr", "npm warn deprecated\n"],
        ],
      },
      [BUILD]: { chunks: [["stdout", "  out/pulse.js  1.2kb\n"]], writes: { [OUTFILE]: "x" } },
    });
    await buildInSandbox(asSandbox(sandbox), { files, main: "index.ts" }, { onOutput: (o) => seen.push(o) });
    expect(seen).toEqual([
      { step: "install", stream: "stdout", data: "added 1 package\n" },
      { step: "install", stream: "stderr", data: "npm warn deprecated\n" },
      { step: "build", stream: "stdout", data: "  out/pulse.js  1.2kb\n" },
    ]);
  });

  it("stops at a failing step with its exit code and output, runs nothing after it, and destroys the sandbox", async () => {
    const sandbox = new StandInSandbox({ "npm test": { exitCode: 1, chunks: [["stderr", "1 failing\n"]] } });
    const result = await buildInSandbox(asSandbox(sandbox), { files, main: "index.ts", runTests: true });
    expect(result).toEqual({
      ok: false,
      step: "test",
      reason: "failed",
      exitCode: 1,
      message: "test failed: `npm test` exited with 1",
      output: "1 failing\n",
    });
    expect(sandbox.commands.map((c) => c.command)).toEqual([
      "npm ci --ignore-scripts --no-audit --no-fund",
      "npm test",
    ]);
    expect(sandbox.destroyed).toBe(1);
  });

  it("ends a step that outlives its deadline, aborts it, and reports a timeout", async () => {
    const sandbox = new StandInSandbox({ "npm ci": { delayMs: 5_000 } });
    const started = Date.now();
    const result = await buildInSandbox(asSandbox(sandbox), { files, main: "index.ts" }, { stepTimeoutMs: 100 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result).toMatchObject({
      ok: false,
      step: "install",
      reason: "timeout",
      message: "install did not finish within 100 ms",
    });
    expect(sandbox.commands).toHaveLength(1);
    expect(sandbox.destroyed).toBe(1);
  });

  it("keeps the whole build within its total deadline", async () => {
    const sandbox = new StandInSandbox({ "npm ci": { delayMs: 150 } });
    const result = await buildInSandbox(
      asSandbox(sandbox),
      { files, main: "index.ts" },
      { stepTimeoutMs: 10_000, totalTimeoutMs: 100 },
    );
    expect(result).toMatchObject({ ok: false, step: "install", reason: "timeout" });
  });

  it("refuses unsafe file names and a missing main file before touching the sandbox's files", async () => {
    const sandbox = new StandInSandbox();
    expect(
      await buildInSandbox(asSandbox(sandbox), { files: { "../etc/passwd.js": "x" }, main: "../etc/passwd.js" }),
    ).toMatchObject({ ok: false, step: "write", reason: "invalid_source" });
    expect(await buildInSandbox(asSandbox(sandbox), { files: { "a.ts": "x" }, main: "b.ts" })).toMatchObject({
      ok: false,
      reason: "invalid_source",
      message: "main file b.ts is not among the files",
    });
    expect(sandbox.files.size).toBe(0);
    expect(sandbox.commands).toHaveLength(0);
    expect(sandbox.destroyed).toBe(2);
  });

  it("streams the build as JSON lines, output first and the result last, without internals on a crash", async () => {
    const read = async (stream: ReadableStream<Uint8Array>) =>
      (await new Response(stream).text())
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
    const lines = await read(
      streamBuild(
        async (onOutput) => {
          onOutput({ step: "install", stream: "stdout", data: "ok\n" });
          return { ok: true, code: "bundle" };
        },
        async () => ({ versionId: "v1" }),
      ),
    );
    expect(lines).toEqual([
      { type: "output", step: "install", stream: "stdout", data: "ok\n" },
      { type: "result", ok: true, versionId: "v1" },
    ]);
    const crashed = await read(
      streamBuild(
        () => Promise.reject(new Error("secret internal detail")),
        async () => undefined,
      ),
    );
    expect(crashed).toEqual([
      { type: "result", ok: false, reason: "failed", message: "The build could not be run; retry shortly" },
    ]);
  });
});
