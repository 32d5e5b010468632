// Admins: usage per day over the last two weeks (all tenants, or one), as a chart and as a table.

import { useMemo, useState } from "preact/hooks";
import type { UsageRow } from "../../../platform/api-schemas.ts";
import { api, bodyOf } from "../api.ts";
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { Table } from "../components/Table.tsx";
import { UsageChart, type DaySeries } from "../components/UsageChart.tsx";
import { daysAgo, today } from "../format.ts";
import { useLoad } from "../use-load.ts";

const DAYS = 14;

function perDay(rows: UsageRow[]): DaySeries {
  const days = Array.from({ length: DAYS }, (_, i) => daysAgo(DAYS - 1 - i));
  const index = new Map(days.map((d, i) => [d, i]));
  const series: DaySeries = { days, requests: days.map(() => 0), errors: days.map(() => 0) };
  for (const row of rows) {
    const i = index.get(row.day);
    if (i === undefined) continue;
    series.requests[i]! += row.requests;
    series.errors[i]! += row.errors;
  }
  return series;
}

export function UsagePage() {
  const [tenant, setTenant] = useState("");
  const tenants = useLoad(() => bodyOf(api.GET("/v1/admin/tenants")), []);
  const usage = useLoad(() => {
    const query = { from: daysAgo(DAYS - 1), to: today(), ...(tenant ? { tenant } : {}) };
    return bodyOf(api.GET("/v1/admin/usage", { params: { query } }));
  }, [tenant]);
  const series = useMemo(() => perDay(usage.data?.usage ?? []), [usage.data]);
  const who = tenant || "all tenants";

  return (
    <section aria-labelledby="usage-title">
      <h1 id="usage-title">Usage</h1>
      <label for="usage-tenant">
        Tenant
        <select id="usage-tenant" value={tenant} onChange={(e) => setTenant(e.currentTarget.value)}>
          <option value="">All tenants</option>
          {(tenants.data?.tenants ?? []).map((t) => (
            <option key={t.id} value={t.name}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorNotice error={usage.error ?? tenants.error} />
      {usage.data ? (
        <UsageChart series={series} label={`Requests and errors per day, last ${DAYS} days, ${who}`} />
      ) : null}
      <details>
        <summary>Figures per day</summary>
        <Table columns={["Day (UTC)", "Requests", "Errors"]}>
          {series.days.map((d, i) => (
            <tr key={d}>
              <th scope="row">{d}</th>
              <td class="num">{series.requests[i]}</td>
              <td class="num">{series.errors[i]}</td>
            </tr>
          ))}
        </Table>
      </details>
    </section>
  );
}
