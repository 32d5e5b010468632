// uuid: v5 of a fixed name (deterministic), v4 and v7 shapes, validate/version.
import { v4, v5, v7, validate, version } from "uuid";

export default async function run() {
  const random = v4();
  const timeOrdered = v7();
  return {
    v5: v5("pulse.example.com", v5.DNS),
    v4ok: validate(random) && version(random) === 4,
    v7ok: validate(timeOrdered) && version(timeOrdered) === 7,
    invalid: validate("not-a-uuid"),
  };
}
