// he: encode and decode HTML entities.
import { decode, encode } from "he";

export default async function run() {
  return { encoded: encode("<a href='x'>© & ♥</a>"), decoded: decode("&lt;p&gt;caf&eacute; &#x1F600;&lt;/p&gt;") };
}
