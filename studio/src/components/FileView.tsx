// One workspace file: an image is previewed as a picture, UTF-8 text opens in the editor (saved with Save),
// anything else is named with its size only.

import { useState } from "preact/hooks";
import { readWorkspaceBytes, writeWorkspaceBytes } from "../../../platform/api-client/workspace-files.ts";
import { api } from "../api.ts";
import { dataUrlOf, imageTypeOf, textOf } from "../file-tree.ts";
import { useAction } from "../use-action.ts";
import { useLoad } from "../use-load.ts";
import { CodeEditor } from "./CodeEditor.tsx";
import { ErrorNotice } from "./ErrorNotice.tsx";

type Opened =
  | { kind: "image"; url: string; size: number }
  | { kind: "text"; text: string }
  | { kind: "binary"; size: number };

async function openFile(pulse: string, path: string): Promise<Opened> {
  const bytes = await readWorkspaceBytes(api, pulse, path);
  const image = imageTypeOf(path);
  if (image) return { kind: "image", url: dataUrlOf(bytes, image), size: bytes.byteLength };
  const text = textOf(bytes);
  return text === null ? { kind: "binary", size: bytes.byteLength } : { kind: "text", text };
}

export function FileView({ pulse, path, onSaved }: { pulse: string; path: string; onSaved: () => void }) {
  const loaded = useLoad(() => openFile(pulse, path), [pulse, path]);
  const [text, setText] = useState<string>();
  const { run, busy, error } = useAction();
  const opened = loaded.data;

  async function save() {
    if (text === undefined) return;
    if (await run(() => writeWorkspaceBytes(api, pulse, path, new TextEncoder().encode(text)))) {
      setText(undefined);
      onSaved();
    }
  }

  return (
    <div class="file-view" data-open-file={path}>
      <h3 class="file-view-title">
        <code>{path}</code>
      </h3>
      <ErrorNotice error={loaded.error ?? error} />
      {!opened ? (
        loaded.error ? null : (
          <p aria-busy="true">Opening {path}...</p>
        )
      ) : opened.kind === "image" ? (
        <figure>
          <img class="file-preview" src={opened.url} alt={`Preview of ${path}`} />
          <figcaption>
            {path}, {opened.size} bytes
          </figcaption>
        </figure>
      ) : opened.kind === "binary" ? (
        <p>A binary file of {opened.size} bytes: it is not shown. Files that are not text belong under public/.</p>
      ) : (
        <>
          <CodeEditor
            key={path}
            file={path}
            initial={opened.text}
            label={`Workspace file ${path}`}
            diagnostics={[]}
            onChange={setText}
          />
          <button type="button" onClick={save} aria-busy={busy} disabled={busy || text === undefined}>
            Save {path}
          </button>
        </>
      )}
    </div>
  );
}
