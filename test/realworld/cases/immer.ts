// immer: produce a new state, leave the old one untouched and frozen.
import { produce } from "immer";

export default async function run() {
  const base = { todos: [{ title: "a", done: false }], count: 1 };
  const next = produce(base, (draft) => {
    draft.todos[0]!.done = true;
    draft.todos.push({ title: "b", done: false });
    draft.count += 1;
  });
  return { base, next, frozen: Object.isFrozen(next), shared: base.todos === next.todos };
}
