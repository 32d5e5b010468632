// dayjs: parse, format, add, diff, with the utc plugin.
import dayjs from "dayjs";
import utc from "dayjs/plugin/utc";

dayjs.extend(utc);

export default async function run() {
  const d = dayjs.utc("2024-02-28T10:30:00Z");
  return {
    formatted: d.format("YYYY-MM-DD HH:mm dddd"),
    plusTwoDays: d.add(2, "day").format("YYYY-MM-DD"),
    diffDays: dayjs.utc("2024-03-31").diff(dayjs.utc("2024-01-01"), "day"),
    leap: d.isValid(),
  };
}
