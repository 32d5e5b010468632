// luxon: DateTime in a zone, plus/diff, ISO output (needs Intl time zones from the runtime).
import { DateTime, Duration } from "luxon";

export default async function run() {
  const d = DateTime.fromISO("2024-03-10T12:00:00", { zone: "utc" });
  return {
    iso: d.plus({ days: 1, hours: 2 }).toISO(),
    tokyo: d.setZone("Asia/Tokyo").toFormat("yyyy-MM-dd HH:mm"),
    weeks: d.diff(DateTime.fromISO("2024-01-01", { zone: "utc" }), "weeks").weeks.toFixed(2),
    duration: Duration.fromObject({ hours: 1, minutes: 30 }).toISO(),
  };
}
