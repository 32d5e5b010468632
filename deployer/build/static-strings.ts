// What the capability scan can know of a string expression without running it: literals, templates, `+`
// chains and names bound once, by `const`, to such a string. Anything else is unknown from that point on,
// which is what keeps the scan conservative: "https://api.x.com" + rest does not fix the host.

import type { AnyNode, Expression, Node, Pattern, Program, SpreadElement } from "acorn";
import * as walk from "acorn-walk";

/** A known prefix, and whether that prefix is all of the value. */
export interface Known {
  prefix: string;
  complete: boolean;
}

export const UNKNOWN: Known = { prefix: "", complete: false };

/** `const NAME = <string expression>` bindings that can only mean that string, by name. */
export type Constants = ReadonlyMap<string, string>;

export function stringValue(node: AnyNode | undefined, constants: Constants): Known {
  if (!node) return UNKNOWN;
  switch (node.type) {
    case "Literal":
      return typeof node.value === "string" ? { prefix: node.value, complete: true } : UNKNOWN;
    case "TemplateLiteral": {
      let prefix = node.quasis[0]?.value.cooked ?? "";
      for (let k = 0; k < node.expressions.length; k++) {
        const part = stringValue(node.expressions[k], constants);
        prefix += part.prefix;
        if (!part.complete) return { prefix, complete: false };
        prefix += node.quasis[k + 1]?.value.cooked ?? "";
      }
      return { prefix, complete: true };
    }
    case "BinaryExpression": {
      if (node.operator !== "+") return UNKNOWN;
      const left = stringValue(node.left, constants);
      if (!left.complete) return left;
      const right = stringValue(node.right, constants);
      return { prefix: left.prefix + right.prefix, complete: right.complete };
    }
    case "Identifier": {
      const value = constants.get(node.name);
      return value === undefined ? UNKNOWN : { prefix: value, complete: true };
    }
    default:
      return UNKNOWN;
  }
}

/** The URL a fetch argument names: a string expression, or `new URL(path, base)` / `new Request(url, ...)`. */
export function targetUrl(arg: Expression | SpreadElement | undefined, constants: Constants): Known {
  if (arg?.type !== "NewExpression" || arg.callee.type !== "Identifier") return stringValue(arg, constants);
  const [first, second] = arg.arguments;
  if (arg.callee.name === "Request") return stringValue(first, constants);
  if (arg.callee.name !== "URL") return UNKNOWN;
  const url = stringValue(first, constants);
  if (!second) return url;
  // new URL(path, base): the base decides the host unless the path is absolute.
  if (url.complete && /^[a-z][a-z0-9+.-]*:/i.test(url.prefix)) return url;
  const base = stringValue(second, constants);
  if (!url.complete || !base.complete || url.prefix.startsWith("//")) return UNKNOWN;
  try {
    return { prefix: new URL(url.prefix, base.prefix).href, complete: true };
  } catch {
    return UNKNOWN;
  }
}

/**
 * The host of an http(s) URL whose host is fixed by what is known: either the whole URL is known, or the
 * known prefix already ends the host ("https://api.x.com/" + anything). "https://api.x.com" + anything is not
 * enough: the rest could be ".evil.com".
 */
export function hostOf(known: Known): string | null {
  const match = /^(https?):\/\/([^/?#]*)([/?#]|$)/i.exec(known.prefix);
  if (!match) return null;
  const hostEnded = match[3] !== "" || known.complete;
  if (!hostEnded) return null;
  try {
    const url = new URL(`${match[1]}://${match[2]}/`);
    if (url.username || url.password || !url.hostname) return null;
    return url.hostname.replace(/\.$/, "");
  } catch {
    return null;
  }
}

/**
 * Names declared once (or always with the same value) as `NAME = <string>` and bound or assigned nowhere else
 * in any file (no parameter, function, class, catch, import alias, destructuring or assignment of that name), so
 * a read of the name can only mean that string. An import of such a name keeps its name and so its value.
 */
export function constantStrings(programs: Program[]): Constants {
  const declared: { name: string; init: Expression }[] = [];
  const otherBindings = new Set<string>();
  for (const program of programs) {
    walk.full(program, (node) => {
      switch (node.type) {
        case "VariableDeclaration":
          // Bundlers turn top-level const into var: any declaration with a value counts, reassignment excludes it.
          for (const d of node.declarations) {
            if (d.id.type === "Identifier" && d.init) declared.push({ name: d.id.name, init: d.init });
            else addPatternNames(d.id, otherBindings);
          }
          break;
        case "FunctionDeclaration":
        case "FunctionExpression":
        case "ArrowFunctionExpression":
          if (node.type !== "ArrowFunctionExpression" && node.id) otherBindings.add(node.id.name);
          for (const p of node.params) addPatternNames(p, otherBindings);
          break;
        case "ClassDeclaration":
        case "ClassExpression":
          if (node.id) otherBindings.add(node.id.name);
          break;
        case "CatchClause":
          if (node.param) addPatternNames(node.param, otherBindings);
          break;
        case "ImportSpecifier":
          if (node.local.name !== importedName(node.imported)) otherBindings.add(node.local.name);
          break;
        case "ImportDefaultSpecifier":
        case "ImportNamespaceSpecifier":
          otherBindings.add(node.local.name);
          break;
        case "AssignmentExpression":
          addPatternNames(node.left, otherBindings);
          break;
        case "UpdateExpression":
          addPatternNames(node.argument, otherBindings);
          break;
        case "ForInStatement":
        case "ForOfStatement":
          if (node.left.type !== "VariableDeclaration") addPatternNames(node.left, otherBindings);
          break;
      }
    });
  }
  let known = new Map<string, string>();
  // Two rounds: a constant defined from another constant resolves in the second.
  for (let round = 0; round < 2; round++) {
    const values = new Map<string, string | null>();
    for (const { name, init } of declared) {
      const value = stringValue(init, known);
      const text = value.complete ? value.prefix : null;
      values.set(name, values.has(name) && values.get(name) !== text ? null : text);
    }
    known = new Map([...values].filter((e): e is [string, string] => e[1] !== null && !otherBindings.has(e[0])));
  }
  return known;
}

function importedName(node: Node & { type: string }): string {
  return node.type === "Identifier"
    ? (node as { name: string } & Node).name
    : String((node as { value?: unknown }).value);
}

/** Every name a binding pattern binds: a, { a, b: c, ...d }, [e = 1, ...f]. */
export function addPatternNames(pattern: Pattern | AnyNode, into: Set<string>): void {
  switch (pattern.type) {
    case "Identifier":
      into.add(pattern.name);
      break;
    case "ObjectPattern":
      for (const p of pattern.properties) addPatternNames(p.type === "RestElement" ? p.argument : p.value, into);
      break;
    case "ArrayPattern":
      for (const p of pattern.elements) if (p) addPatternNames(p, into);
      break;
    case "RestElement":
      addPatternNames(pattern.argument, into);
      break;
    case "AssignmentPattern":
      addPatternNames(pattern.left, into);
      break;
  }
}
