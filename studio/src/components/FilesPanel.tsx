// The pulse's files workspace (docs/workspace.md): a tree of the draft's files with collapsible folders; open a
// file (text in the editor, images as a preview), add, upload (binary too), rename, delete after a question,
// and deploy a version built from the whole draft.

import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import {
  buildFromWorkspace,
  deleteWorkspaceFile,
  listWorkspace,
  renameWorkspaceFile,
  type WorkspaceFile,
  writeWorkspaceBytes,
} from "../../../platform/api-client/workspace-files.ts";
import { api, bodyOf } from "../api.ts";
import { type FolderNode, type TreeNode, treeOf } from "../file-tree.ts";
import { useAction } from "../use-action.ts";
import { useLoad } from "../use-load.ts";
import { ConfirmDialog } from "./ConfirmDialog.tsx";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { FileView } from "./FileView.tsx";
import { TextField } from "./TextField.tsx";

/** Where uploads go unless the developer says otherwise: binary files are served from public/. */
const DEFAULT_UPLOAD_FOLDER = "public/";

export function FilesPanel({
  pulse,
  liveVersion,
  onDeployed,
}: {
  pulse: string;
  /** The live version's id: an empty workspace can start from its code. */
  liveVersion: string | null;
  onDeployed: () => void;
}) {
  const loaded = useLoad(() => listWorkspace(api, pulse), [pulse]);
  const { run, busy, error, setError } = useAction();
  const [open, setOpen] = useState<string>();
  const [closed, setClosed] = useState<ReadonlySet<string>>(new Set());
  const [renaming, setRenaming] = useState<string>();
  const [deleting, setDeleting] = useState<string>();
  const [newPath, setNewPath] = useState("");
  const [uploadFolder, setUploadFolder] = useState(DEFAULT_UPLOAD_FOLDER);
  const [main, setMain] = useState("index.ts");
  const files = loaded.data ?? [];
  const openFile = files.find((f) => f.path === open);

  /** A change, then the list again (also after a refusal: the draft may have moved on in another tab). */
  async function change(work: () => Promise<unknown>): Promise<boolean> {
    const ok = await run(work);
    await loaded.reload();
    return ok;
  }

  async function add(event: Event) {
    event.preventDefault();
    const path = newPath.trim();
    if (files.some((f) => f.path === path)) return setError(new Error(`${path} is already in the workspace`));
    if (await change(() => writeWorkspaceBytes(api, pulse, path, new Uint8Array(0)))) {
      setNewPath("");
      setOpen(path);
    }
  }

  async function upload(input: HTMLInputElement) {
    const chosen = [...(input.files ?? [])];
    const folder = uploadFolder.trim().replace(/^\/+/, "");
    const prefix = folder === "" || folder.endsWith("/") ? folder : `${folder}/`;
    const stored = await change(async () => {
      for (const file of chosen)
        await writeWorkspaceBytes(api, pulse, prefix + file.name, new Uint8Array(await file.arrayBuffer()));
    });
    input.value = "";
    if (stored && chosen.length > 0) setOpen(prefix + chosen.at(-1)!.name);
  }

  async function rename(from: string, to: string) {
    if (await change(() => renameWorkspaceFile(api, pulse, from, to.trim()))) {
      setRenaming(undefined);
      if (open === from) setOpen(to.trim());
    }
  }

  async function remove(path: string) {
    setDeleting(undefined);
    if ((await change(() => deleteWorkspaceFile(api, pulse, path))) && open === path) setOpen(undefined);
  }

  /** The live version's source files (its code, as uploaded) into an empty workspace, and its entry file. */
  async function copyLive(version: string) {
    await change(async () => {
      const source = await bodyOf(
        api.GET("/v1/pulses/{name}/versions/{version}/source", { params: { path: { name: pulse, version } } }),
      );
      for (const [path, text] of Object.entries(source.files))
        await writeWorkspaceBytes(api, pulse, path, new TextEncoder().encode(text));
      setMain(source.main);
    });
  }

  async function deploy() {
    if (await run(() => buildFromWorkspace(api, pulse, { main: main.trim(), deploy: true }))) onDeployed();
  }

  const toggle = (folder: string) =>
    setClosed((c) => {
      const next = new Set(c);
      if (!next.delete(folder)) next.add(folder);
      return next;
    });

  const tree = (nodes: TreeNode[]) => (
    <ul class="file-tree">
      {nodes.map((node) =>
        node.kind === "folder" ? (
          <Folder key={node.path} folder={node} open={!closed.has(node.path)} onToggle={() => toggle(node.path)}>
            {tree(node.children)}
          </Folder>
        ) : (
          <FileRow
            key={node.file.path}
            name={node.name}
            file={node.file}
            current={node.file.path === open}
            renaming={renaming === node.file.path}
            busy={busy}
            onOpen={() => setOpen(node.file.path)}
            onRename={(to) => (to === undefined ? setRenaming(node.file.path) : rename(node.file.path, to))}
            onCancelRename={() => setRenaming(undefined)}
            onDelete={() => setDeleting(node.file.path)}
          />
        ),
      )}
    </ul>
  );

  return (
    <section aria-labelledby="files-title">
      <h2 id="files-title">Files</h2>
      <p class="muted">
        The workspace: a draft of the app's files, saved on the platform as you edit. Files under <code>public/</code>{" "}
        are served at the pulse's URL; the others are its code. Nothing goes live until you deploy from it.
      </p>
      <ErrorNotice error={loaded.error ?? error} id="files-error" />
      <div class="files-layout">
        <section aria-label="Workspace files">
          {loaded.data && files.length === 0 ? (
            <>
              <p>No files yet: add or upload one.</p>
              {liveVersion ? (
                <button type="button" class="secondary" disabled={busy} onClick={() => copyLive(liveVersion)}>
                  Start from the live version's code
                </button>
              ) : null}
            </>
          ) : (
            tree(treeOf(files))
          )}
        </section>
        <div>
          {openFile ? (
            <FileView
              key={`${openFile.path}:${openFile.hash}`}
              pulse={pulse}
              path={openFile.path}
              onSaved={loaded.reload}
            />
          ) : null}
        </div>
      </div>
      <div class="grid">
        <form onSubmit={add}>
          <TextField
            id="new-file-path"
            label="New file path"
            required
            placeholder="lib/greet.ts"
            value={newPath}
            onValue={setNewPath}
          />
          <button type="submit" class="secondary" disabled={busy}>
            Add file
          </button>
        </form>
        <div>
          <TextField id="upload-folder" label="Upload into folder" value={uploadFolder} onValue={setUploadFolder} />
          <label for="upload-files">
            Upload files
            <input id="upload-files" type="file" multiple disabled={busy} onChange={(e) => upload(e.currentTarget)} />
          </label>
        </div>
      </div>
      <div class="editor-actions">
        <TextField id="workspace-main" label="Entry file" required value={main} onValue={setMain} />
        <button type="button" onClick={deploy} aria-busy={busy} disabled={busy || files.length === 0}>
          Deploy from workspace
        </button>
      </div>
      {deleting ? (
        <ConfirmDialog
          title={`Delete ${deleting}?`}
          confirm="Yes, delete"
          onConfirm={() => remove(deleting)}
          onCancel={() => setDeleting(undefined)}
        >
          <p>It leaves the workspace at once; the live version keeps serving its copy until the next deploy.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function Folder({
  folder,
  open,
  onToggle,
  children,
}: {
  folder: FolderNode;
  open: boolean;
  onToggle: () => void;
  children: ComponentChildren;
}) {
  return (
    <li data-folder={folder.path}>
      <button type="button" class="link folder" aria-expanded={open} onClick={onToggle}>
        <span aria-hidden="true">{open ? "▾" : "▸"}</span> {folder.name}/
      </button>
      {open ? children : null}
    </li>
  );
}

function FileRow({
  name,
  file,
  current,
  renaming,
  busy,
  onOpen,
  onRename,
  onCancelRename,
  onDelete,
}: {
  name: string;
  file: WorkspaceFile;
  current: boolean;
  renaming: boolean;
  busy: boolean;
  onOpen: () => void;
  /** Without a path: show the rename form; with one: move the file there. */
  onRename: (to?: string) => void;
  onCancelRename: () => void;
  onDelete: () => void;
}) {
  const [to, setTo] = useState(file.path);
  const field = `rename-${file.path}`;
  return (
    <li data-path={file.path} aria-current={current ? "true" : undefined}>
      <button type="button" class="link" aria-label={`Open ${file.path}`} onClick={onOpen}>
        {name}
      </button>{" "}
      <small class="muted">{file.size} B</small>{" "}
      <button
        type="button"
        class="secondary outline small"
        aria-label={`Rename ${file.path}`}
        disabled={busy}
        onClick={() => onRename()}
      >
        Rename
      </button>{" "}
      <button
        type="button"
        class="secondary outline small"
        aria-label={`Delete ${file.path}`}
        disabled={busy}
        onClick={onDelete}
      >
        Delete
      </button>
      {renaming ? (
        <form
          class="rename-form"
          onSubmit={(e) => {
            e.preventDefault();
            onRename(to);
          }}
        >
          <TextField id={field} label={<>New path for {file.path}</>} required value={to} onValue={setTo} />
          <button type="submit" class="small" disabled={busy}>
            Move
          </button>{" "}
          <button type="button" class="secondary small" onClick={onCancelRename}>
            Cancel
          </button>
        </form>
      ) : null}
    </li>
  );
}
