// A stand-in of the Sandbox SDK's interface (Containers cannot run here): a file system, and per command
// prefix a scripted run (output chunks, exit code, delay that honours the abort signal, files it writes).

import type { BuildSandbox } from "../../deployer/build/sandbox-builder.ts";

export type Script = {
  exitCode?: number;
  chunks?: ["stdout" | "stderr", string][];
  delayMs?: number;
  writes?: Record<string, string>;
};

export class StandInSandbox {
  readonly files = new Map<string, string>();
  readonly commands: { command: string; cwd?: string; timeout?: number; stream?: boolean }[] = [];
  destroyed = 0;
  readonly scripts: Record<string, Script>;
  constructor(scripts: Record<string, Script> = {}) {
    this.scripts = scripts;
  }

  async writeFile(path: string, content: string) {
    this.files.set(path, content);
    return { success: true, path, timestamp: new Date().toISOString() };
  }

  async readFile(path: string) {
    const content = this.files.get(path);
    return { success: content !== undefined, path, content: content ?? "", timestamp: new Date().toISOString() };
  }

  async exec(
    command: string,
    options: {
      cwd?: string;
      timeout?: number;
      stream?: boolean;
      signal?: AbortSignal;
      onOutput?: (s: "stdout" | "stderr", d: string) => void;
    } = {},
  ) {
    this.commands.push({ command, cwd: options.cwd, timeout: options.timeout, stream: options.stream });
    const script = Object.entries(this.scripts).find(([prefix]) => command.startsWith(prefix))?.[1] ?? {};
    for (const [stream, data] of script.chunks ?? []) {
      options.onOutput?.(stream, data);
      await new Promise((r) => setTimeout(r, 5));
    }
    if (script.delayMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, script.delayMs);
        options.signal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(new Error("aborted"));
        });
      });
    }
    for (const [path, content] of Object.entries(script.writes ?? {})) this.files.set(path, content);
    const exitCode = script.exitCode ?? 0;
    return {
      success: exitCode === 0,
      exitCode,
      stdout: "",
      stderr: "",
      command,
      duration: 1,
      timestamp: new Date().toISOString(),
    };
  }

  async destroy() {
    this.destroyed += 1;
  }
}

export const asSandbox = (s: StandInSandbox) => s as unknown as BuildSandbox;
