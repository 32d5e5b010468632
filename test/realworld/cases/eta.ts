// eta: its file-system-free entry (eta/core); the template is compiled when the module loads, since Workers
// allow code generation from strings (Eta compiles templates to functions) only then, not during a request.
import { Eta } from "eta/core";

const eta = new Eta();
const page = eta.compile("Hi <%= it.name %>!<% it.n.forEach(function (x) { %> <%= x * 2 %><% }) %>");

export default async function run() {
  return { out: eta.render(page, { name: "<b>", n: [1, 2] }) };
}
