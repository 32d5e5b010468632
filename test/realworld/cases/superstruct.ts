// superstruct: validate() returns [error, value]; the error names the failing path.
import { number, object, string, validate } from "superstruct";

const Article = object({ id: number(), title: string() });

export default async function run() {
  const [okError, value] = validate({ id: 1, title: "Hi" }, Article);
  const [error] = validate({ id: "1", title: "Hi" }, Article);
  return { okError: okError ?? null, value, failedPath: error?.path ?? null, failedType: error?.type ?? null };
}
