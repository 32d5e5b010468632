// One pulse: the editor on the live version's source, Deploy with build errors at their lines, the files
// workspace, Invoke, versions with one-click rollback, secrets and live logs.

import { useEffect, useState } from "preact/hooks";
import type { Pulse, Version, VersionSource } from "../../../platform/api-schemas.ts";
import { api, ApiFailure, bodyOf, pulseParams } from "../api.ts";
import { CodeEditor } from "../components/CodeEditor.tsx";
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { FilesPanel } from "../components/FilesPanel.tsx";
import { InvokePanel } from "../components/InvokePanel.tsx";
import { LogsPanel } from "../components/LogsPanel.tsx";
import { SecretsPanel } from "../components/SecretsPanel.tsx";
import { VersionsPanel } from "../components/VersionsPanel.tsx";
import { buildDiagnosticsOf, type BuildDiagnostic } from "../diagnostics.ts";
import { shortId } from "../format.ts";
import { useAction } from "../use-action.ts";
import { useLoad } from "../use-load.ts";

const STARTER: Omit<VersionSource, "versionId"> = {
  main: "index.ts",
  files: {
    "index.ts": `// input: the JSON body (or the query parameters); env.kv: this pulse's KV store.
export default async function run(input: { name?: string }, env: { kv: KVNamespace }) {
  console.log("hello from", input.name ?? "nobody");
  return { message: \`hello, \${input.name ?? "world"}\` };
}

interface KVNamespace {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
}
`,
  },
};

interface Workspace {
  /** Which version the files came from (null: the starter, or the live source was not kept). */
  from: string | null;
  note?: string;
  main: string;
  files: Record<string, string>;
  /** Bumped on every load, to remount the editor with the new text. */
  generation: number;
}

async function loadWorkspace(
  name: string,
  generation: number,
): Promise<{ pulse: Pulse; versions: Version[]; workspace: Workspace }> {
  const [pulse, { versions }] = await Promise.all([
    bodyOf(api.GET("/v1/pulses/{name}", pulseParams(name))),
    bodyOf(api.GET("/v1/pulses/{name}/versions", pulseParams(name))),
  ]);
  if (!pulse.activeVersionId) return { pulse, versions, workspace: { from: null, ...STARTER, generation } };
  try {
    const source = await bodyOf(
      api.GET("/v1/pulses/{name}/versions/{version}/source", {
        params: { path: { name, version: pulse.activeVersionId } },
      }),
    );
    return {
      pulse,
      versions,
      workspace: { from: source.versionId, main: source.main, files: source.files, generation },
    };
  } catch (e) {
    if (!(e instanceof ApiFailure) || e.code !== "source_not_found") throw e;
    return { pulse, versions, workspace: { from: null, note: e.message, ...STARTER, generation } };
  }
}

export function PulsePage({ name }: { name: string }) {
  const [generation, setGeneration] = useState(0);
  const loaded = useLoad(() => loadWorkspace(name, generation), [name, generation]);
  const reloadAll = () => setGeneration((g) => g + 1);

  if (!loaded.data)
    return loaded.error ? <ErrorNotice error={loaded.error} /> : <p aria-busy="true">Loading {name}...</p>;
  const { pulse, versions, workspace } = loaded.data;
  return (
    <>
      <hgroup>
        <h1>{pulse.name}</h1>
        <p>
          <span class={`badge ${pulse.activeVersionId ? "live" : "idle"}`}>
            {pulse.activeVersionId ? `live: ${shortId(pulse.activeVersionId)}` : "not deployed"}
          </span>{" "}
          served at <code>{pulse.url}</code>
        </p>
      </hgroup>
      <ErrorNotice error={loaded.error} />
      <Editor key={`${name}:${workspace.generation}`} pulse={name} workspace={workspace} onDeployed={reloadAll} />
      <FilesPanel pulse={name} liveVersion={pulse.activeVersionId} onDeployed={reloadAll} />
      <div class="grid panels">
        <InvokePanel pulse={name} />
        <LogsPanel pulse={name} />
      </div>
      <VersionsPanel pulse={name} versions={versions} onChanged={reloadAll} />
      <SecretsPanel pulse={name} />
    </>
  );
}

function Editor({ pulse, workspace, onDeployed }: { pulse: string; workspace: Workspace; onDeployed: () => void }) {
  const [files, setFiles] = useState(workspace.files);
  const [current, setCurrent] = useState(workspace.main);
  const [diagnostics, setDiagnostics] = useState<BuildDiagnostic[]>([]);
  const [jumpTo, setJumpTo] = useState<{ line: number; column: number }>();
  const { run, busy, error } = useAction();
  const names = Object.keys(files).sort();

  // Empty: the new version goes live for everyone; a percent: it starts as a canary (docs/canary.md).
  const [canary, setCanary] = useState("");

  async function deploy() {
    setDiagnostics([]);
    const share = canary.trim() === "" ? undefined : Number(canary);
    const done = await run(async () => {
      const built = await bodyOf(
        api.POST("/v1/pulses/{name}/versions", {
          ...pulseParams(pulse),
          // The editor holds the code only: the app's static files stay those of the live version.
          body: { files, main: workspace.main, deploy: share === undefined, keepStaticFiles: true },
        }),
      );
      if (share === undefined) return;
      const body = { versionId: built.version.id, canary: share };
      await bodyOf(api.POST("/v1/pulses/{name}/deployments", { ...pulseParams(pulse), body }));
    });
    if (done) return onDeployed();
  }

  // A refused upload: its diagnostics go to the editor, on the file of the first one.
  useEffect(() => {
    const found = error instanceof ApiFailure ? buildDiagnosticsOf(error.details) : [];
    setDiagnostics(found);
    const first = found.find((d) => d.file && files[d.file] !== undefined);
    if (first?.file) setCurrent(first.file);
  }, [error]);

  return (
    <section aria-labelledby="editor-title">
      <h2 id="editor-title">Handler</h2>
      <p class="muted">
        {workspace.from ? (
          <>
            Source of the live version <code>{shortId(workspace.from)}</code>.
          </>
        ) : (
          (workspace.note ?? "A starter handler: edit it and deploy.")
        )}
      </p>
      {names.length > 1 ? (
        <label for="editor-file">
          File
          <select id="editor-file" value={current} onChange={(e) => setCurrent(e.currentTarget.value)}>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
                {n === workspace.main ? " (main)" : ""}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <CodeEditor
        key={current}
        file={current}
        initial={files[current] ?? ""}
        label={`Source of ${current}`}
        diagnostics={diagnostics}
        jumpTo={jumpTo}
        onChange={(text) => setFiles((f) => ({ ...f, [current]: text }))}
      />
      <div class="editor-actions">
        <button type="button" onClick={deploy} aria-busy={busy} disabled={busy}>
          Deploy
        </button>
        <label for="deploy-canary" class="canary-share">
          Canary
          <input
            id="deploy-canary"
            type="number"
            min={1}
            max={50}
            step={1}
            placeholder="off"
            value={canary}
            aria-describedby="deploy-canary-help"
            onInput={(e) => setCanary(e.currentTarget.value)}
          />
          <small id="deploy-canary-help">
            % of clients (1-50) on the new version; the platform promotes it after the window or rolls it back
          </small>
        </label>
      </div>
      <ErrorNotice error={error} id="deploy-error" />
      {diagnostics.length ? (
        <ul class="diagnostics" aria-label="Build errors">
          {diagnostics.map((d, i) => (
            <li key={i}>
              <button
                type="button"
                class="link"
                disabled={!d.file || files[d.file] === undefined}
                onClick={() => {
                  if (d.file) setCurrent(d.file);
                  setJumpTo({ line: d.line ?? 1, column: d.column ?? 1 });
                }}
              >
                {d.file ?? "build"}
                {d.line ? `:${d.line}:${d.column ?? 1}` : ""}
              </button>{" "}
              {d.text}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
