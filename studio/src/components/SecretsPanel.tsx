// The pulse's secrets and connections: names and the hosts they may reach. Values are never readable.

import type { SecretInfo } from "../../../platform/api-schemas.ts";
import { api, pulsePath } from "../api.ts";
import { useLoad } from "../use-load.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { Table } from "./Table.tsx";

export function SecretsPanel({ pulse }: { pulse: string }) {
  const loaded = useLoad(async () => {
    const [s, c] = await Promise.all([
      api<{ secrets: SecretInfo[] }>("GET", pulsePath(pulse, "/secrets")),
      api<{ connections: SecretInfo[] }>("GET", pulsePath(pulse, "/connections")),
    ]);
    return [...s.secrets, ...c.connections];
  }, [pulse]);
  return (
    <section aria-labelledby="secrets-title">
      <h2 id="secrets-title">Secrets</h2>
      <ErrorNotice error={loaded.error} />
      {loaded.data?.length === 0 ? (
        <p>
          No secrets. Set one with <code>pulse secrets set</code> or <code>PUT /v1/pulses/{pulse}/secrets/NAME</code>; user code sees only an opaque reference.
        </p>
      ) : null}
      {loaded.data?.length ? (
        <Table columns={["Name", "Kind", "May reach"]}>
            {loaded.data.map((s) => (
              <tr key={`${s.kind}:${s.name}`}>
                <th scope="row">
                  <code>{s.name}</code>
                </th>
                <td>{s.kind}</td>
                <td>{s.hosts.join(", ")}</td>
              </tr>
            ))}
        </Table>
      ) : null}
    </section>
  );
}
