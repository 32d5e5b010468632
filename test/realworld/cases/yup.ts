// yup: object schema with cast and validation errors.
import { number, object, string, ValidationError } from "yup";

const schema = object({ name: string().required(), age: number().required().positive().integer() });

export default async function run() {
  const cast = schema.cast({ name: "Jo", age: "24" });
  let errors: string[] = [];
  try {
    await schema.validate({ name: "", age: -3 }, { abortEarly: false });
  } catch (error) {
    if (error instanceof ValidationError) errors = error.inner.map((e) => `${e.path}:${e.type}`);
  }
  return { cast, errors };
}
