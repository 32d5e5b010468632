// A bar chart (Chart.js) of requests and errors per day. The same figures are in a table beside it for
// screen readers and keyboard users; the canvas is labelled, not the only way to read them.

import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import { useEffect, useRef } from "preact/hooks";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface DaySeries {
  days: string[];
  requests: number[];
  errors: number[];
}

export function UsageChart({ series, label }: { series: DaySeries; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = new Chart(canvas.current!, {
      type: "bar",
      data: {
        labels: series.days,
        datasets: [
          { label: "Requests", data: series.requests, backgroundColor: "#0172ad" },
          { label: "Errors (5xx)", data: series.errors, backgroundColor: "#d93526" },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    return () => chart.destroy();
  }, [series]);
  return (
    <div class="chart-box">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
