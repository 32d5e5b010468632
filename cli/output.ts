// How the CLI talks: coloured lines for people, one JSON document for scripts (--json), a spinner on
// anything slow (only on a terminal), and build diagnostics with code frames.

import { createSpinner } from "nanospinner";
import pc from "picocolors";

export interface Output {
  json: boolean;
  debug: boolean;
  /** The result of a command: printed as JSON with --json, or by `human` otherwise. */
  result(value: unknown, human: () => void): void;
  line(text: string): void;
  step<T>(label: string, work: () => Promise<T>): Promise<T>;
}

export function createOutput(options: { json?: boolean; debug?: boolean }): Output {
  const json = Boolean(options.json);
  return {
    json,
    debug: Boolean(options.debug),
    result(value, human) {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else human();
    },
    line(text) {
      if (!json) process.stdout.write(`${text}\n`);
    },
    async step(label, work) {
      if (json || !process.stderr.isTTY) return work();
      const spinner = createSpinner(label, { stream: process.stderr }).start();
      try {
        const value = await work();
        spinner.success();
        return value;
      } catch (error) {
        spinner.error();
        throw error;
      }
    },
  };
}

export interface Diagnostic {
  file: string | null;
  line: number | null;
  column: number | null;
  text: string;
}

/** esbuild's diagnostic with the offending line and a caret, like a compiler would show it. */
export function codeFrame(d: Diagnostic, files: Record<string, string>): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column}` : ""}` : "(build)";
  const head = `${pc.red("error")} ${pc.bold(where)} ${d.text}`;
  const source = d.file ? files[d.file] : undefined;
  if (!source || !d.line) return head;
  const lines = source.split("\n");
  const frame: string[] = [];
  for (let n = Math.max(1, d.line - 1); n <= Math.min(lines.length, d.line + 1); n++) {
    const gutter = String(n).padStart(4);
    frame.push(`${n === d.line ? pc.red(">") : " "}${pc.dim(gutter)} | ${lines[n - 1]}`);
    if (n === d.line && d.column) frame.push(`      | ${" ".repeat(Math.max(0, d.column - 1))}${pc.red("^")}`);
  }
  return `${head}\n${frame.join("\n")}`;
}

export { pc };
