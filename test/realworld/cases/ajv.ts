// ajv: compile a JSON Schema and validate (Ajv compiles schemas to functions with new Function).
import Ajv from "ajv";

const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile({
  type: "object",
  properties: { foo: { type: "integer" }, bar: { type: "string" } },
  required: ["foo"],
  additionalProperties: false,
});

export default async function run() {
  const good = validate({ foo: 1, bar: "abc" });
  const bad = validate({ foo: "x", extra: true });
  return { good, bad, errors: (validate.errors ?? []).map((e) => `${e.instancePath}:${e.keyword}`) };
}
