// handlebars: a helper and an #each block. Handlebars compiles a template to a function on its first use, and
// Workers allow code generation from strings only while the module loads: the first render happens then.
import Handlebars from "handlebars";

Handlebars.registerHelper("upper", (s: string) => s.toUpperCase());
const template = Handlebars.compile("{{upper title}}:{{#each people}} {{this}}{{/each}}");
template({ title: "", people: [] });

export default async function run() {
  return { out: template({ title: "team", people: ["ann", "bob"] }) };
}
