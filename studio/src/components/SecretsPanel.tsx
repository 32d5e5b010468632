// The pulse's secrets and connections: names and the hosts they may reach. A value can be set (it goes
// straight to the API, sealed there) and is never readable again: the page holds it only while the form does.

import { useState } from "preact/hooks";
import type { SecretInfo } from "../../../platform/api-schemas.ts";
import { api, bodyOf, pulseParams } from "../api.ts";
import { useAction } from "../use-action.ts";
import { useLoad } from "../use-load.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { Table } from "./Table.tsx";
import { TextField } from "./TextField.tsx";

/** Secrets and connections are removed through their own routes. */
const removeOf = (pulse: string, s: Pick<SecretInfo, "kind" | "name">) => {
  const params = { params: { path: { name: pulse, secret: s.name } } };
  return bodyOf(
    s.kind === "secret"
      ? api.DELETE("/v1/pulses/{name}/secrets/{secret}", params)
      : api.DELETE("/v1/pulses/{name}/connections/{secret}", params),
  );
};

export function SecretsPanel({ pulse }: { pulse: string }) {
  const loaded = useLoad(async () => {
    const [s, c] = await Promise.all([
      bodyOf(api.GET("/v1/pulses/{name}/secrets", pulseParams(pulse))),
      bodyOf(api.GET("/v1/pulses/{name}/connections", pulseParams(pulse))),
    ]);
    return [...s.secrets, ...c.connections];
  }, [pulse]);
  const { run, busy, error } = useAction();
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const [hosts, setHosts] = useState("");

  async function save(event: Event) {
    event.preventDefault();
    const list = hosts.split(/[\s,]+/).filter(Boolean);
    if (
      await run(() =>
        bodyOf(
          api.PUT("/v1/pulses/{name}/secrets/{secret}", {
            params: { path: { name: pulse, secret: name.trim() } },
            body: { value, hosts: list },
          }),
        ),
      )
    ) {
      setName("");
      setValue("");
      setHosts("");
    }
    await loaded.reload();
  }

  async function remove(secret: SecretInfo) {
    await run(() => removeOf(pulse, secret));
    await loaded.reload();
  }

  return (
    <section aria-labelledby="secrets-title">
      <h2 id="secrets-title">Secrets</h2>
      <ErrorNotice error={loaded.error ?? error} />
      {loaded.data?.length === 0 ? (
        <p>
          No secrets yet. User code sees only an opaque reference (env.secrets.NAME), sent only to the hosts named here.
        </p>
      ) : null}
      {loaded.data?.length ? (
        <Table columns={["Name", "Kind", "May reach", ""]}>
          {loaded.data.map((s) => (
            <tr key={`${s.kind}:${s.name}`} data-secret={s.name}>
              <th scope="row">
                <code>{s.name}</code>
              </th>
              <td>{s.kind}</td>
              <td>{s.hosts.join(", ")}</td>
              <td>
                <button type="button" class="secondary outline small" disabled={busy} onClick={() => remove(s)}>
                  Delete {s.name}
                </button>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      <form onSubmit={save} aria-labelledby="secret-form-title">
        <h3 id="secret-form-title">Set a secret</h3>
        <div class="grid">
          <TextField id="secret-name" label="Name" required placeholder="API_KEY" value={name} onValue={setName} />
          <TextField id="secret-value" label="Value" secret required value={value} onValue={setValue} />
          <TextField
            id="secret-hosts"
            label="Hosts it may reach"
            required
            placeholder="api.example.com"
            value={hosts}
            onValue={setHosts}
          />
        </div>
        <button type="submit" class="secondary" aria-busy={busy} disabled={busy}>
          Save secret
        </button>
      </form>
    </section>
  );
}
