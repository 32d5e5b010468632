// cookie-signature: Express's signed cookies (node:crypto HMAC).
import { sign, unsign } from "cookie-signature";

export default async function run() {
  const signed = sign("hello", "tobiiscool");
  return { signed, unsigned: unsign(signed, "tobiiscool"), tampered: unsign(`${signed}x`, "tobiiscool") };
}
