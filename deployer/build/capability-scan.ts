// The capability scan: parses each file a pulse's build reached (acorn, on plain JavaScript) and finds what
// the code asks of the platform. Pure and conservative: when a fetch target, a secret name or a schedule is
// not written in a form the scan can resolve, it says so (dynamicFetch, dynamicSecrets, dynamicSchedule)
// rather than guess, and a file it cannot parse counts as asking for everything, with a warning. What it
// resolves:
// - fetch targets: `fetch(x)` and `globalThis.fetch(x)` (also `self`, `global`, `window`, `["fetch"]`) where x
//   is a string expression static-strings.ts can read; any other use of fetch or of the global object as a
//   value (aliased, destructured, passed, indexed by a computed name) is an escape, hence dynamic;
// - env members: `env.db`, `*.Pro_User_Binding`, `*.secrets.NAME`, `*.connections.NAME` (also `?.`, `["NAME"]`
//   and `const { NAME } = x.secrets`), where env is any variable named env, the second parameter of the
//   default export or of `scheduled`, or an alias `const e = env`;
// - schedules: the main file's exported `schedule`, a string or an array of strings.
// Findings are kept per origin (the developer's own code, or the npm package a bundle says the code came
// from) so that an admin reads "hono: fetch to computed targets" apart from the developer's own calls.

import { parse, type AnyNode, type Expression, type MemberExpression, type Program } from "acorn";
import * as walk from "acorn-walk";
import { MAX_LISTED_DYNAMIC_TARGETS, type Manifest, type PackageCapabilities } from "../../platform/manifest.ts";
import { BundleOrigins } from "./bundle-origins.ts";
import { readSchedule } from "./schedule-export.ts";
import { constantStrings, hostOf, stringValue, targetUrl, type Constants } from "./static-strings.ts";

export interface SourceFile {
  file: string;
  /** Plain JavaScript (esbuild has removed types and JSX), as uploaded when it already was. */
  text: string;
}

export type Capabilities = Omit<Manifest, "format" | "bundleBytes" | "files">;

/** Names of the global object: a member of one is a global (globalThis.fetch is fetch). */
const GLOBAL_OBJECTS = new Set(["globalThis", "self", "global", "window"]);
const DB_MEMBERS = new Set(["db", "Pro_User_Binding"]);
/** Members of env that hold references by name. */
const refKind = (name: string | null) => (name === "secrets" || name === "connections" ? name : null);
const MAX_TARGET_TEXT = 120;
/** Members of the global object are read by literal name only: a constant naming one counts as computed. */
const NO_CONSTANTS: Constants = new Map();

/** What one origin (own code, or one package) asks for. */
interface Found {
  usesDb: boolean;
  secrets: Set<string>;
  connections: Set<string>;
  dynamicSecrets: boolean;
  hosts: Set<string>;
  dynamicFetch: boolean;
  targets: { file: string; target: string }[];
}

const OWN_CODE = "";

interface Parsed {
  file: string;
  text: string;
  program: Program;
  origins: BundleOrigins;
}

export function scanCapabilities(files: SourceFile[], mainFile: string): Capabilities {
  const byOrigin = new Map<string, Found>();
  const at = (origin: string) => byOrigin.get(origin) ?? byOrigin.set(origin, emptyFound()).get(origin)!;
  const warnings: string[] = [];
  const parsed: Parsed[] = [];
  for (const f of files) {
    const result = parseFile(f);
    if ("program" in result) parsed.push(result);
    else {
      warnings.push(
        `${f.file}${result.where}: could not be analysed (${result.reason}); counted as fetching ` +
          "computed targets and reading secrets by computed names",
      );
      const own = at(OWN_CODE);
      own.dynamicFetch = true;
      own.dynamicSecrets = true;
      own.targets.push({ file: f.file, target: "(file could not be analysed)" });
    }
  }
  const constants = constantStrings(parsed.map((p) => p.program));
  for (const p of parsed) scanProgram(p, constants, (offset) => at(p.origins.packageAt(offset) ?? OWN_CODE));
  const main = parsed.find((p) => p.file === mainFile);
  const schedule = main ? readSchedule(main.program) : { schedules: [], dynamic: false };
  return summarise(byOrigin, schedule, warnings);
}

function parseFile(f: SourceFile): Parsed | { where: string; reason: string } {
  const origins = new BundleOrigins();
  try {
    const program = parse(f.text, {
      ecmaVersion: "latest",
      sourceType: "module",
      allowHashBang: true,
      locations: false,
      onComment: (block, text, start) => {
        if (!block) origins.addComment(text, start, start === 0 || f.text.charCodeAt(start - 1) === 10);
      },
    });
    return { file: f.file, text: f.text, program, origins };
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    const reason = error instanceof SyntaxError ? error.message.replace(/\s*\(\d+:\d+\)$/, "") : "parser failure";
    return { where: loc ? `:${loc.line}:${loc.column + 1}` : "", reason };
  }
}

function scanProgram(p: Parsed, constants: Constants, foundAt: (offset: number) => Found): void {
  const envNames = envBindings(p.program);
  const dynamicFetch = (node: AnyNode, target: string) => {
    const found = foundAt(node.start);
    found.dynamicFetch = true;
    found.targets.push({ file: p.file, target });
  };
  const fetchCall = (call: AnyNode & { arguments: AnyNode[] }) => {
    const arg = call.arguments[0] as Expression | undefined;
    const host = arg ? hostOf(targetUrl(arg, constants)) : null;
    if (host) foundAt(call.start).hosts.add(host);
    else dynamicFetch(call, arg ? quote(p.text, arg) : "fetch() without a target");
  };
  /** fetch (the global, or a member of the global object named fetch) at node: a call, or an escape. */
  const fetchUse = (node: AnyNode, parent: AnyNode | undefined) => {
    if (parent?.type === "CallExpression" && parent.callee === node) fetchCall(parent);
    else if (!(parent?.type === "UnaryExpression" && parent.operator === "typeof"))
      dynamicFetch(node, "fetch passed as a value");
  };

  walk.ancestor(p.program, {
    Identifier(node, _state, ancestors) {
      const parent = ancestors[ancestors.length - 2];
      if (node.name === "fetch") fetchUse(node, parent);
      else if (GLOBAL_OBJECTS.has(node.name))
        globalObjectUse(node, ancestors, fetchUse, (n, why) => dynamicFetch(n, why));
    },
    MemberExpression(node, _state, ancestors) {
      const name = memberName(node, constants);
      const found = () => foundAt(node.start);
      const root = node.object.type === "Identifier" && envNames.has(node.object.name);
      const kind = refKind(name);
      if (kind) {
        scanRefs(node, ancestors, constants, kind, found());
      } else if (name === "Pro_User_Binding" || (name === "db" && root)) {
        found().usesDb = true;
      } else if (name === null && root) {
        found().dynamicSecrets = true; // env[name] could be anything, secrets included
      }
    },
    VariableDeclarator(node) {
      // const { db, secrets: s } = env
      if (node.id.type === "ObjectPattern" && node.init?.type === "Identifier" && envNames.has(node.init.name)) {
        envPattern(node.id, foundAt(node.start));
      }
    },
  });
  for (const pattern of entryEnvPatterns(p.program)) envPattern(pattern, foundAt(pattern.start));
}

/**
 * A name of the global object at ancestors' end: follows members that are the global object again
 * (globalThis.self), then allows only reading a member by a static name. A member named fetch is fetch; the
 * global object itself used as a value, or indexed by a computed name, can reach fetch unseen.
 */
function globalObjectUse(
  node: AnyNode,
  ancestors: AnyNode[],
  fetchUse: (node: AnyNode, parent: AnyNode | undefined) => void,
  onEscape: (node: AnyNode, why: string) => void,
): void {
  let current = node;
  for (let k = ancestors.length - 2; k >= 0; k--) {
    const parent = ancestors[k]!;
    if (parent.type === "UnaryExpression" && parent.operator === "typeof") return;
    if (parent.type !== "MemberExpression" || parent.object !== current) break;
    const name = memberName(parent, NO_CONSTANTS);
    if (name === null) {
      onEscape(parent, "the global object indexed by a computed name");
      return;
    }
    if (name === "fetch") {
      fetchUse(parent, ancestors[k - 1]);
      return;
    }
    if (!GLOBAL_OBJECTS.has(name)) return;
    current = parent;
  }
  onEscape(current, "the global object used as a value");
}

/** `x.secrets` at node, read as a member: `.NAME`, `?.NAME`, `["NAME"]`, or destructured `{ NAME } = x.secrets`. */
function scanRefs(
  node: MemberExpression,
  ancestors: AnyNode[],
  constants: Constants,
  kind: "secrets" | "connections",
  found: Found,
): void {
  const parent = ancestors[ancestors.length - 2];
  if (parent?.type === "MemberExpression" && parent.object === node) {
    const name = memberName(parent, constants);
    if (name === null) found.dynamicSecrets = true;
    else found[kind].add(name);
  } else if (parent?.type === "VariableDeclarator" && parent.init === node && parent.id.type === "ObjectPattern") {
    const keys = patternKeys(parent.id);
    if (keys === null) found.dynamicSecrets = true;
    else for (const key of keys) found[kind].add(key);
  } else {
    found.dynamicSecrets = true; // x.secrets used whole: passed around, its names out of sight
  }
}

/** `{ db, secrets: { A }, connections }` bound from env: db is used, nested names are read, a whole kind is not known. */
function envPattern(pattern: AnyNode, found: Found): void {
  if (pattern.type !== "ObjectPattern") return;
  for (const prop of pattern.properties) {
    if (prop.type === "RestElement") {
      found.dynamicSecrets = true;
      continue;
    }
    const key = propertyKey(prop.key, prop.computed);
    if (key === null) found.dynamicSecrets = true;
    else if (DB_MEMBERS.has(key)) found.usesDb = true;
    else {
      const kind = refKind(key);
      const names = kind && prop.value.type === "ObjectPattern" ? patternKeys(prop.value) : null;
      if (kind && names === null) found.dynamicSecrets = true;
      else if (kind && names) for (const n of names) found[kind].add(n);
    }
  }
}

/** Static keys of an object pattern, or null when one is computed or the rest is taken. */
function patternKeys(pattern: AnyNode): string[] | null {
  if (pattern.type !== "ObjectPattern") return null;
  const keys: string[] = [];
  for (const prop of pattern.properties) {
    if (prop.type === "RestElement") return null;
    const key = propertyKey(prop.key, prop.computed);
    if (key === null) return null;
    keys.push(key);
  }
  return keys;
}

function propertyKey(key: AnyNode, computed: boolean): string | null {
  if (!computed && key.type === "Identifier") return key.name;
  if (key.type === "Literal") return typeof key.value === "string" ? key.value : String(key.value);
  return null;
}

/** The member a member expression reads, when the source fixes it: `.name`, `["name"]`, `[CONST]`. */
function memberName(node: MemberExpression, constants: Constants): string | null {
  if (!node.computed) return node.property.type === "Identifier" ? node.property.name : null;
  const value = stringValue(node.property, constants);
  return value.complete ? value.prefix : null;
}

/** Names that stand for env: "env", the entry points' second parameter, aliases `const e = env`. */
function envBindings(program: Program): Set<string> {
  const names = new Set(["env"]);
  for (const fn of entryFunctions(program)) {
    const second = fn.params[1];
    if (second?.type === "Identifier") names.add(second.name);
  }
  const aliases: [alias: string, of: string][] = [];
  walk.simple(program, {
    VariableDeclarator(node) {
      if (node.id.type === "Identifier" && node.init?.type === "Identifier")
        aliases.push([node.id.name, node.init.name]);
    },
  });
  // An alias of an alias resolves in a later round, in whatever order they were declared.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [alias, of] of aliases) {
      if (!names.has(of) || names.has(alias)) continue;
      names.add(alias);
      grew = true;
    }
  }
  return names;
}

/** Object patterns in the entry points' env parameter: run(input, { db, secrets }). */
function entryEnvPatterns(program: Program): AnyNode[] {
  return entryFunctions(program)
    .map((fn) => fn.params[1])
    .filter((p): p is NonNullable<typeof p> => p?.type === "ObjectPattern");
}

type FunctionNode = Extract<
  AnyNode,
  { type: "FunctionDeclaration" | "FunctionExpression" | "ArrowFunctionExpression" }
>;

/** The default export and `scheduled`, declared in place or by name (`export { run as default }`). */
function entryFunctions(program: Program): FunctionNode[] {
  const wanted = new Set<string>();
  const out: FunctionNode[] = [];
  const isFunction = (n: AnyNode | null | undefined): n is FunctionNode =>
    n?.type === "FunctionDeclaration" || n?.type === "FunctionExpression" || n?.type === "ArrowFunctionExpression";
  for (const stmt of program.body) {
    if (stmt.type === "ExportDefaultDeclaration") {
      if (isFunction(stmt.declaration)) out.push(stmt.declaration);
      else if (stmt.declaration.type === "Identifier") wanted.add(stmt.declaration.name);
    } else if (stmt.type === "ExportNamedDeclaration") {
      if (stmt.declaration?.type === "FunctionDeclaration" && stmt.declaration.id.name === "scheduled")
        out.push(stmt.declaration);
      for (const spec of stmt.specifiers) {
        const exported = spec.exported.type === "Identifier" ? spec.exported.name : String(spec.exported.value);
        if ((exported === "default" || exported === "scheduled") && spec.local.type === "Identifier")
          wanted.add(spec.local.name);
      }
    }
  }
  if (wanted.size === 0) return out;
  for (const stmt of program.body) {
    const decl = stmt.type === "ExportNamedDeclaration" ? stmt.declaration : stmt;
    if (decl?.type === "FunctionDeclaration" && wanted.has(decl.id.name)) out.push(decl);
    if (decl?.type === "VariableDeclaration") {
      for (const d of decl.declarations)
        if (d.id.type === "Identifier" && wanted.has(d.id.name) && isFunction(d.init)) out.push(d.init);
    }
  }
  return out;
}

/** The source of an unresolved target, one line, shortened. */
function quote(text: string, node: AnyNode): string {
  const raw = text.slice(node.start, node.end).replace(/\s+/g, " ");
  return raw.length > MAX_TARGET_TEXT ? `${raw.slice(0, MAX_TARGET_TEXT)}...` : raw;
}

function emptyFound(): Found {
  return {
    usesDb: false,
    secrets: new Set(),
    connections: new Set(),
    dynamicSecrets: false,
    hosts: new Set(),
    dynamicFetch: false,
    targets: [],
  };
}

/** The manifest's view: everything together (what approval is about), and each package's share apart. */
function summarise(
  byOrigin: Map<string, Found>,
  schedule: { schedules: string[]; dynamic: boolean },
  warnings: string[],
): Capabilities {
  const all = emptyFound();
  const packages: PackageCapabilities[] = [];
  const sorted = (s: Set<string>) => [...s].sort();
  for (const [origin, f] of [...byOrigin].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    all.usesDb ||= f.usesDb;
    all.dynamicSecrets ||= f.dynamicSecrets;
    all.dynamicFetch ||= f.dynamicFetch;
    for (const key of ["secrets", "connections", "hosts"] as const) for (const v of f[key]) all[key].add(v);
    all.targets.push(...f.targets.map((t) => (origin === OWN_CODE ? t : { ...t, package: origin })));
    if (origin !== OWN_CODE) {
      packages.push({
        name: origin,
        usesDb: f.usesDb,
        secrets: sorted(f.secrets),
        connections: sorted(f.connections),
        dynamicSecrets: f.dynamicSecrets,
        hosts: sorted(f.hosts),
        dynamicFetch: f.dynamicFetch,
      });
    }
  }
  return {
    usesDb: all.usesDb,
    secrets: sorted(all.secrets),
    connections: sorted(all.connections),
    dynamicSecrets: all.dynamicSecrets,
    egress: {
      hosts: sorted(all.hosts),
      dynamicFetch: all.dynamicFetch,
      dynamicTargets: all.targets.slice(0, MAX_LISTED_DYNAMIC_TARGETS),
    },
    schedules: schedule.schedules,
    dynamicSchedule: schedule.dynamic,
    packages,
    warnings,
  };
}
