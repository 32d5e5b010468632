// The handler's editor: CodeMirror 6 with TypeScript highlighting, and the last build's errors as lint
// markers at their lines (gutter marker, underline, message on hover and in the lint panel).
// Tab is left to move focus (no indentWithTab), so the editor is not a keyboard trap.
// The editor lives in a shadow root: CodeMirror then styles it with constructed style sheets
// (adoptedStyleSheets) instead of <style> elements, which the page's CSP (style-src 'self') refuses.

import { javascript } from "@codemirror/lang-javascript";
import { setDiagnostics } from "@codemirror/lint";
import { EditorView } from "@codemirror/view";
import { editorSetup, editorTheme } from "./editor-setup.ts";
import { useEffect, useRef } from "preact/hooks";
import { lintDiagnosticsFor, type BuildDiagnostic } from "../diagnostics.ts";

export interface CodeEditorProps {
  /** The file shown: remount (key) the editor to show another. */
  file: string;
  initial: string;
  label: string;
  diagnostics: BuildDiagnostic[];
  onChange: (text: string) => void;
  /** Set from outside to move the cursor to a diagnostic (1-based line and column). */
  jumpTo?: { line: number; column: number } | undefined;
}

export function CodeEditor({ file, initial, label, diagnostics, onChange, jumpTo }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const root = host.current!.attachShadow({ mode: "open" });
    const parent = document.createElement("div");
    root.append(parent);
    const editor = new EditorView({
      doc: initial,
      root,
      parent,
      extensions: [
        editorSetup,
        editorTheme,
        javascript({ typescript: true }),
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) changed.current(update.state.doc.toString());
        }),
      ],
    });
    view.current = editor;
    return () => editor.destroy();
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor) editor.dispatch(setDiagnostics(editor.state, lintDiagnosticsFor(editor.state.doc, file, diagnostics)));
  }, [diagnostics]);

  useEffect(() => {
    const editor = view.current;
    if (!editor || !jumpTo) return;
    const line = editor.state.doc.line(Math.min(Math.max(jumpTo.line, 1), editor.state.doc.lines));
    const anchor = line.from + Math.min(Math.max(jumpTo.column - 1, 0), line.length);
    editor.dispatch({ selection: { anchor }, scrollIntoView: true });
    editor.focus();
  }, [jumpTo]);

  return <div class="code-editor" ref={host} data-file={file} />;
}
