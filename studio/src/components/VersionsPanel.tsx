// The pulse's versions, newest first, the live one marked; any other one is live again in one click.

import { useState } from "preact/hooks";
import type { Version } from "../../../platform/api-schemas.ts";
import { api, bodyOf, pulseParams } from "../api.ts";
import { shortId, when } from "../format.ts";
import { useAction } from "../use-action.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { Table } from "./Table.tsx";

export function VersionsPanel({
  pulse,
  versions,
  onChanged,
}: {
  pulse: string;
  versions: Version[];
  onChanged: () => void;
}) {
  const { run, busy, error } = useAction();
  const [target, setTarget] = useState<string>();

  async function rollBack(versionId: string) {
    setTarget(versionId);
    if (await run(() => bodyOf(api.POST("/v1/pulses/{name}/rollback", { ...pulseParams(pulse), body: { versionId } }))))
      onChanged();
  }

  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <ErrorNotice error={error} />
      {versions.length === 0 ? (
        <p>No versions yet: deploy from the editor.</p>
      ) : (
        <Table class="versions" columns={["Version", "Built", "By", "Size", ""]}>
          {versions.map((v) => (
            <tr key={v.id} data-version={v.id} aria-current={v.active ? "true" : undefined}>
              <th scope="row">
                <code>{shortId(v.id)}</code> {v.active ? <span class="badge live">live</span> : null}
              </th>
              <td>{when(v.createdAt)}</td>
              <td>{v.createdBy ?? ""}</td>
              <td class="num">{(v.sizeBytes / 1024).toFixed(1)} KiB</td>
              <td>
                {v.active ? null : (
                  <button
                    type="button"
                    class="secondary outline small"
                    aria-busy={busy && target === v.id}
                    disabled={busy}
                    onClick={() => rollBack(v.id)}
                  >
                    Roll back to {shortId(v.id)}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
