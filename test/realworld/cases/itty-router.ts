// itty-router: AutoRouter with route params, the way its README routes a fetch handler.
import { AutoRouter } from "itty-router";

const router = AutoRouter();
router.get("/todos/:id", ({ params, query }) => ({ id: params.id, done: query.done === "1" }));

export default async function run() {
  const hit = await router.fetch(new Request("https://x.test/todos/7?done=1"));
  const miss = await router.fetch(new Request("https://x.test/other"));
  return { hit: [hit.status, await hit.json()], miss: miss.status };
}
