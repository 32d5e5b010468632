// date-fns: format, addMonths, differenceInCalendarDays, parseISO.
import { addMonths, differenceInCalendarDays, format, parseISO } from "date-fns";

export default async function run() {
  const d = parseISO("2024-01-31T12:00:00");
  return {
    formatted: format(d, "yyyy-MM-dd"),
    nextMonth: format(addMonths(d, 1), "yyyy-MM-dd"),
    days: differenceInCalendarDays(parseISO("2024-12-25"), parseISO("2024-01-01")),
  };
}
