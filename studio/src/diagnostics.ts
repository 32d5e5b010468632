// Build diagnostics from the control plane (esbuild's: file, 1-based line and column) -> CodeMirror lint
// diagnostics for the file on screen. Positions beyond the text are clamped, never thrown on.

import type { Text } from "@codemirror/state";
import type { Diagnostic as LintDiagnostic } from "@codemirror/lint";

export interface BuildDiagnostic {
  file: string | null;
  line: number | null;
  column: number | null;
  text: string;
}

/** The diagnostics of a failed upload: build errors (build_failed) or refused files (source_invalid). */
export function buildDiagnosticsOf(details: unknown): BuildDiagnostic[] {
  const list = Array.isArray(details) ? details : (details as { diagnostics?: unknown } | null)?.diagnostics;
  if (!Array.isArray(list)) return [];
  return list.map((d: Partial<BuildDiagnostic>) => ({
    file: d.file ?? null,
    line: d.line ?? null,
    column: d.column ?? null,
    text: String(d.text ?? ""),
  }));
}

export function lintDiagnosticsFor(doc: Text, file: string, diagnostics: BuildDiagnostic[]): LintDiagnostic[] {
  return diagnostics
    .filter((d) => d.file === file)
    .map((d) => {
      const line = doc.line(Math.min(Math.max(d.line ?? 1, 1), doc.lines));
      const from = line.from + Math.min(Math.max((d.column ?? 1) - 1, 0), line.length);
      // Mark to the end of the word at the position (at least one character when the line has any).
      const rest = doc.sliceString(from, line.to);
      const word = /^\w+/.exec(rest)?.[0].length ?? 0;
      const to = Math.min(from + Math.max(word, 1), line.to);
      return { from, to: Math.max(to, from), severity: "error" as const, message: d.text, source: "build" };
    });
}
