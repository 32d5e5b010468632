// nanoid: default ids and a custom alphabet.
import { customAlphabet, nanoid } from "nanoid";

export default async function run() {
  const id = nanoid();
  const digits = customAlphabet("0123456789", 8)();
  return {
    length: id.length,
    urlSafe: /^[A-Za-z0-9_-]+$/.test(id),
    digits: /^\d{8}$/.test(digits),
    distinct: nanoid() !== id,
  };
}
