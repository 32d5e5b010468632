// valibot: schema + safeParse, and the path of a failure.
import * as v from "valibot";

const Login = v.object({ email: v.pipe(v.string(), v.email()), password: v.pipe(v.string(), v.minLength(8)) });

export default async function run() {
  const good = v.safeParse(Login, { email: "jane@example.com", password: "12345678" });
  const bad = v.safeParse(Login, { email: "jane", password: "123" });
  return {
    ok: good.success,
    issues: bad.success ? [] : bad.issues.map((i) => ({ path: v.getDotPath(i), type: i.type })),
  };
}
