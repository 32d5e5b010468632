// mustache: logic-less templates with sections and escaping.
import Mustache from "mustache";

export default async function run() {
  const view = { name: "<Ada>", items: [{ n: 1 }, { n: 2 }] };
  return { out: Mustache.render("Hi {{name}}!{{#items}} [{{n}}]{{/items}}", view) };
}
