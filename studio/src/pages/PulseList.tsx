// The developer's home: their pulses with status and today's requests and errors, and a form to create one.

import { useState } from "preact/hooks";
import { api, bodyOf } from "../api.ts";
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { Table } from "../components/Table.tsx";
import { useAction } from "../use-action.ts";
import type { WhoAmI } from "../components/SignIn.tsx";
import { shortId, today } from "../format.ts";
import { hrefOf } from "../route.ts";
import { useLoad } from "../use-load.ts";

export function PulseList({ who }: { who: WhoAmI }) {
  const pulses = useLoad(() => bodyOf(api.GET("/v1/pulses")), []);
  const usage = useLoad(() => bodyOf(api.GET("/v1/usage", { params: { query: { from: today(), to: today() } } })), []);
  const todayOf = new Map((usage.data?.usage ?? []).map((u) => [u.pulseId, u]));

  return (
    <section aria-labelledby="pulses-title">
      <h1 id="pulses-title">Pulses{who.tenant ? <small> of {who.tenant}</small> : null}</h1>
      <ErrorNotice error={pulses.error ?? usage.error} />
      {pulses.data && pulses.data.pulses.length === 0 ? <p>No pulses yet: create the first one below.</p> : null}
      {pulses.data && pulses.data.pulses.length > 0 ? (
        <Table
          caption="Pulses with today's requests and errors (UTC)"
          columns={[
            "Pulse",
            ...(who.role === "admin" ? ["Tenant"] : []),
            "Status",
            "Live version",
            "Requests today",
            "Errors today",
          ]}
        >
          {pulses.data.pulses.map((p) => (
            <tr key={p.id} data-pulse={p.name}>
              <th scope="row">
                <a href={hrefOf({ page: "pulse", name: p.name })}>{p.name}</a>
              </th>
              {who.role === "admin" ? <td>{p.tenant}</td> : null}
              <td>
                <span class={`badge ${p.activeVersionId ? "live" : "idle"}`}>
                  {p.activeVersionId ? "live" : "not deployed"}
                </span>
              </td>
              <td>
                <code>{shortId(p.activeVersionId)}</code>
              </td>
              <td class="num" data-requests>
                {todayOf.get(p.id)?.requests ?? 0}
              </td>
              <td class="num" data-errors>
                {todayOf.get(p.id)?.errors ?? 0}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      {who.role === "developer" ? (
        <CreatePulse onCreated={(name) => (location.hash = hrefOf({ page: "pulse", name }))} />
      ) : null}
    </section>
  );
}

function CreatePulse({ onCreated }: { onCreated: (name: string) => void }) {
  const [name, setName] = useState("");
  const { run, busy, error } = useAction();
  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => onCreated((await bodyOf(api.POST("/v1/pulses", { body: { name: name.trim() } }))).name));
  }
  return (
    <form onSubmit={submit} aria-labelledby="create-title">
      <h2 id="create-title">New pulse</h2>
      <fieldset role="group">
        <label for="new-pulse" class="visually-hidden">
          Pulse name
        </label>
        <input
          id="new-pulse"
          name="name"
          placeholder="my-pulse"
          required
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          aria-describedby="new-pulse-help"
        />
        <button type="submit" aria-busy={busy} disabled={busy}>
          Create
        </button>
      </fieldset>
      <small id="new-pulse-help">Lowercase letters, digits and "-": the name is the pulse's subdomain.</small>
      <ErrorNotice error={error} />
    </form>
  );
}
