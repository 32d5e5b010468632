// @paralleldrive/cuid2: createId, isCuid, custom length.
import { createId, init, isCuid } from "@paralleldrive/cuid2";

export default async function run() {
  const id = createId();
  const short = init({ length: 10 })();
  return { length: id.length, valid: isCuid(id), shortLength: short.length, startsWithLetter: /^[a-z]/.test(id) };
}
