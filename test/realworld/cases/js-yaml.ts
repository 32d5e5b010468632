// js-yaml: load (YAML 1.2 core schema: a date stays a string) and dump.
import { dump, load } from "js-yaml";

export default async function run() {
  const doc = load("list:\n  - 1\n  - two\nmap: { k: v }\nwhen: 2024-01-02\nanchor: &a [x]\ncopy: *a\n");
  return { doc, dumped: dump({ x: [1, 2], y: "z" }) };
}
