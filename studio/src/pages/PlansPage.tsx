// Admins: the plans and their limits.

import type { Plan } from "../../../platform/api-schemas.ts";
import { api, bodyOf } from "../api.ts";
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { Table } from "../components/Table.tsx";
import { useLoad } from "../use-load.ts";

const KIB = 1024;
const bytes = (n: number) => (n >= KIB * KIB ? `${n / (KIB * KIB)} MiB` : n >= KIB ? `${n / KIB} KiB` : `${n} B`);

/** The limits as rows: label and how to read the number. */
const LIMITS: [keyof Plan["limits"], string, (v: never) => string][] = [
  ["maxPulses", "Pulses per tenant", String],
  ["requestsPerMinute", "Requests per minute, per pulse", String],
  ["requestBodyBytes", "Request body", bytes],
  ["wallMs", "Wall time", (v: number) => `${v / 1000} s`],
  ["cpuMs", "CPU time", (v: number) => `${v} ms`],
  ["kvOpsPerRequest", "KV operations per request", String],
  ["kvValueBytes", "KV value size", bytes],
  ["subrequestsPerRequest", "Subrequests per request", String],
  ["sql", "SQL (env.db)", (v: boolean) => (v ? "yes" : "no")],
  ["logRetentionHours", "Log retention", (v: number) => `${v} h`],
];

export function PlansPage() {
  const loaded = useLoad(() => bodyOf(api.GET("/v1/admin/plans")), []);
  const plans = loaded.data?.plans ?? [];
  return (
    <section aria-labelledby="plans-title">
      <h1 id="plans-title">Plans</h1>
      <ErrorNotice error={loaded.error} />
      {plans.length ? (
        <Table class="plans" columns={["Limit", ...plans.map((p) => p.name)]}>
          {LIMITS.map(([key, label, show]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              {plans.map((p) => (
                <td key={p.name} class="num">
                  {show(p.limits[key] as never)}
                </td>
              ))}
            </tr>
          ))}
        </Table>
      ) : null}
    </section>
  );
}
