// Build diagnostics -> editor marks: esbuild's 1-based lines and columns land on the right characters, other
// files' diagnostics stay off this file, and positions past the text are clamped instead of throwing.

import { Text } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { buildDiagnosticsOf, lintDiagnosticsFor } from "../../studio/src/diagnostics.ts";

const doc = Text.of(["export default function run() {", "  return { a: 1 ;", "}"]);

describe("lintDiagnosticsFor", () => {
  it("marks the word at the line and column", () => {
    const [mark] = lintDiagnosticsFor(doc, "index.ts", [{ file: "index.ts", line: 2, column: 3, text: "bad" }]);
    expect(doc.sliceString(mark!.from, mark!.to)).toBe("return");
    expect(doc.lineAt(mark!.from).number).toBe(2);
    expect(mark).toMatchObject({ severity: "error", message: "bad" });
  });

  it("keeps only this file's diagnostics and clamps positions beyond the text", () => {
    const marks = lintDiagnosticsFor(doc, "index.ts", [
      { file: "lib/x.ts", line: 1, column: 1, text: "elsewhere" },
      { file: "index.ts", line: 99, column: 99, text: "past the end" },
      { file: "index.ts", line: null, column: null, text: "no position" },
    ]);
    expect(marks.map((m) => m.message)).toEqual(["past the end", "no position"]);
    expect(marks[0]!.from).toBe(doc.length); // last line, end of text
    expect(marks[1]!.from).toBe(0);
  });
});

describe("buildDiagnosticsOf", () => {
  it("reads build_failed details and source_invalid problem lists, and nothing else", () => {
    const d = { file: "index.ts", line: 3, column: 44, text: 'Expected "}"' };
    expect(buildDiagnosticsOf({ diagnostics: [d] })).toEqual([d]);
    expect(buildDiagnosticsOf([{ file: "a.ts", text: "too big" }])).toEqual([
      { file: "a.ts", line: null, column: null, text: "too big" },
    ]);
    expect(buildDiagnosticsOf(undefined)).toEqual([]);
    expect(buildDiagnosticsOf({ other: 1 })).toEqual([]);
  });
});
