// Generated JavaScript for the suites that feed code nobody wrote to the capability scan and the deploy path.

import fc from "fast-check";

/**
 * JavaScript modules built from the names a capability scan looks up (env, secrets, fetch, the global object)
 * and the names that break lookups keyed by user code (constructor, __proto__): member chains, calls, computed
 * members, templates, destructuring and entry points. Some are invalid on purpose (two default exports).
 */
export const jsModule: fc.Arbitrary<string> = (() => {
  const names = fc.constantFrom(
    "env",
    "secrets",
    "connections",
    "db",
    "fetch",
    "globalThis",
    "self",
    "constructor",
    "__proto__",
    "prototype",
    "toString",
    "schedule",
    "x",
  );
  const expr = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      names,
      fc.string({ maxLength: 8 }).map((t) => JSON.stringify(t)),
      fc.tuple(tie("e"), names).map(([a, b]) => `${a}.${b}`),
      fc.tuple(tie("e"), tie("e")).map(([a, b]) => `${a}[${b}]`),
      fc.tuple(tie("e"), fc.array(tie("e"), { maxLength: 2 })).map(([a, b]) => `${a}(${b.join(", ")})`),
      fc.tuple(tie("e"), tie("e")).map(([a, b]) => `\`\${${a}}/\${${b}}\``),
      fc.tuple(names, tie("e")).map(([a, b]) => `({ ${a}: ${b} })`),
    ),
  })).e;
  const stmt = fc.oneof(
    expr.map((e) => `${e};`),
    fc.tuple(names, expr).map(([n, e]) => `const { ${n} } = ${e};`),
    fc.tuple(names, expr).map(([n, e]) => `export const ${n === "schedule" ? n : "v"} = ${e};`),
    fc
      .tuple(names, expr)
      .map(([n, e]) => `export default async function run(input, ${n === "env" ? "env" : "e"}) { return ${e}; }`),
  );
  return fc.array(stmt, { maxLength: 6 }).map((stmts) => stmts.join("\n"));
})();
