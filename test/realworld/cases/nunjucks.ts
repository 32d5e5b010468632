// nunjucks: a loop and a filter with autoescaping. Templates are compiled eagerly when the module loads, since
// Workers allow code generation from strings (nunjucks compiles templates to functions) only then.
import nunjucks from "nunjucks";

const env = new nunjucks.Environment(null, { autoescape: true });
const list = new nunjucks.Template(
  "{% for u in users %}{{ u | upper }}{% if not loop.last %}, {% endif %}{% endfor %} {{ tag }}",
  env,
  undefined,
  true,
);

export default async function run() {
  return { out: list.render({ users: ["a", "b"], tag: "<i>" }) };
}
