// qs: nested query strings both ways.
import qs from "qs";

export default async function run() {
  return {
    parsed: qs.parse("a[b][c]=d&list[]=1&list[]=2&e=%20f"),
    stringified: qs.stringify({ filter: { tags: ["x", "y"] }, page: 2 }, { encodeValuesOnly: true }),
  };
}
