// ulid: a ULID for a fixed time keeps that time, monotonic ids sort.
import { decodeTime, monotonicFactory, ulid } from "ulid";

export default async function run() {
  const id = ulid(1_700_000_000_000);
  const next = monotonicFactory();
  const a = next(1_700_000_000_000);
  const b = next(1_700_000_000_000);
  return { length: id.length, time: decodeTime(id), prefix: id.slice(0, 10), sorted: a < b };
}
