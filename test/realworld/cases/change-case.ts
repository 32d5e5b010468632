// change-case: identifier case conversions.
import { camelCase, constantCase, kebabCase, pascalCase, snakeCase } from "change-case";

export default async function run() {
  const s = "Real world HTTP requests";
  return {
    camel: camelCase(s),
    pascal: pascalCase(s),
    kebab: kebabCase(s),
    snake: snakeCase(s),
    constant: constantCase(s),
  };
}
