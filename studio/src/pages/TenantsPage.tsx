// Admins: every tenant with its plan and status; change the plan, suspend or resume.

import { useState } from "preact/hooks";
import { api, bodyOf } from "../api.ts";
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { Table } from "../components/Table.tsx";
import { useAction } from "../use-action.ts";
import { useLoad } from "../use-load.ts";

const tenantParams = (tenant: string) => ({ params: { path: { tenant } } });

export function TenantsPage() {
  const loaded = useLoad(async () => {
    const [{ tenants }, { plans }] = await Promise.all([
      bodyOf(api.GET("/v1/admin/tenants")),
      bodyOf(api.GET("/v1/admin/plans")),
    ]);
    return { tenants, plans };
  }, []);
  const { run, error } = useAction();
  const [notice, setNotice] = useState("");

  async function change(what: string, call: () => Promise<unknown>) {
    setNotice("");
    if (await run(call)) setNotice(what);
    await loaded.reload();
  }

  return (
    <section aria-labelledby="tenants-title">
      <h1 id="tenants-title">Tenants</h1>
      <ErrorNotice error={error ?? loaded.error} />
      <p role="status" class="muted">
        {notice}
      </p>
      {loaded.data ? (
        <Table columns={["Tenant", "Plan", "Status", "Pulses", ""]}>
          {loaded.data.tenants.map((t) => (
            <tr key={t.id} data-tenant={t.name}>
              <th scope="row">{t.name}</th>
              <td>
                <label for={`plan-${t.name}`} class="visually-hidden">
                  Plan of {t.name}
                </label>
                <select
                  id={`plan-${t.name}`}
                  value={t.plan}
                  onChange={(e) => {
                    const plan = e.currentTarget.value;
                    void change(`${t.name} is now on plan ${plan}.`, () =>
                      bodyOf(api.PATCH("/v1/admin/tenants/{tenant}", { ...tenantParams(t.name), body: { plan } })),
                    );
                  }}
                >
                  {loaded.data!.plans.map((p) => (
                    <option key={p.name} value={p.name}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <span class={`badge ${t.status === "active" ? "live" : "failed"}`}>{t.status}</span>
              </td>
              <td class="num">{t.pulses}</td>
              <td>
                {t.status === "active" ? (
                  <button
                    type="button"
                    class="secondary small"
                    onClick={() =>
                      change(`${t.name} is suspended: its pulses answer 403.`, () =>
                        bodyOf(api.POST("/v1/admin/tenants/{tenant}/suspend", tenantParams(t.name))),
                      )
                    }
                  >
                    Suspend {t.name}
                  </button>
                ) : (
                  <button
                    type="button"
                    class="small"
                    onClick={() =>
                      change(`${t.name} is active again.`, () =>
                        bodyOf(api.POST("/v1/admin/tenants/{tenant}/resume", tenantParams(t.name))),
                      )
                    }
                  >
                    Resume {t.name}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </section>
  );
}
