// lodash-es: the usual helpers, tree-shaken imports. _.template compiles to a function, which Workers allow only
// while the module loads: it is compiled then.
import { chunk, debounce, groupBy, merge, orderBy, template } from "lodash-es";

const greet = template("hello <%= user %>!");

export default async function run() {
  const people = [
    { n: "b", age: 30 },
    { n: "a", age: 30 },
    { n: "c", age: 20 },
  ];
  return {
    chunk: chunk([1, 2, 3, 4, 5], 2),
    groups: groupBy(people, "age"),
    ordered: orderBy(people, ["age", "n"], ["desc", "asc"]).map((p) => p.n),
    merged: merge({ a: { x: 1 } }, { a: { y: 2 } }),
    debounced: typeof debounce(() => 1, 10),
    template: greet({ user: "fred" }),
  };
}
