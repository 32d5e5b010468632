// ramda: point-free composition.
import * as R from "ramda";

export default async function run() {
  const total = R.pipe(
    R.filter((x: number) => x % 2 === 0),
    R.map((x: number) => x * 10),
    R.sum,
  );
  return {
    total: total([1, 2, 3, 4]),
    byAge: R.sortBy(R.prop("age"), [{ age: 3 }, { age: 1 }]),
    path: R.path(["a", "b"], { a: { b: 5 } }),
  };
}
