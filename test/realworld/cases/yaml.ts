// yaml (eemeli/yaml): parse with anchors, stringify back.
import YAML from "yaml";

export default async function run() {
  const doc = YAML.parse(
    "base: &b\n  port: 80\nservices:\n  - name: web\n    <<: *b\n  - name: api\n    port: 8080\n",
    { merge: true },
  );
  return { doc, text: YAML.stringify({ a: [1, "two"], b: { c: null } }) };
}
