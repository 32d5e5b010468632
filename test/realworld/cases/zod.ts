import { z } from "zod";

const User = z.object({ name: z.string().min(1), age: z.number().int().positive(), email: z.email() });

export default async function run() {
  const good = User.safeParse({ name: "Ada", age: 36, email: "ada@example.com" });
  const bad = User.safeParse({ name: "Ada", age: -1, email: "not-an-email" });
  return {
    ok: good.success,
    data: good.data,
    issues: bad.success ? [] : bad.error.issues.map((i) => ({ path: i.path.join("."), code: i.code })),
  };
}
