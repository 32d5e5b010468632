// The capability scan: reads the token streams of a pulse's files (see js-tokens.ts) and finds what the code
// asks of the platform. Pure and conservative: when a fetch target, a secret name or a schedule is not written
// out in a form the scan can resolve, it says so (dynamicFetch, dynamicSecrets, dynamicSchedule) rather than
// guess. What it resolves:
// - fetch targets: string and template literals, `new URL(...)` / `new Request(...)` of them, `+` chains, and
//   identifiers bound once, by `const`, to such a string (anywhere else a binding of that name makes it unknown);
// - env members: `env.db`, `env.Pro_User_Binding`, `*.secrets.NAME`, `*.connections.NAME` (also `?.`, `["NAME"]`
//   and `const { NAME } = env.secrets`), where `env` is any variable named env, the second parameter of the
//   default export or of `scheduled`, or an alias `const e = env`;
// - schedules: `export const schedule = "cron"` or an array of string literals, in the main file.

import { MAX_LISTED_DYNAMIC_TARGETS, type Manifest } from "../../platform/manifest.ts";
import type { Token } from "./js-tokens.ts";

export interface ScannedFile {
  file: string;
  /** The text the tokens point into (for quoting an unresolved target as written). */
  text: string;
  tokens: Token[];
}

export type Capabilities = Omit<Manifest, "format" | "bundleBytes" | "files">;

const DB_MEMBERS = new Set(["db", "Pro_User_Binding"]);
const REF_KINDS = { secrets: "secrets", connections: "connections" } as const;
const GLOBAL_OBJECTS = new Set(["globalThis", "self"]);
const MAX_TARGET_TEXT = 120;

export function scanCapabilities(files: ScannedFile[], mainFile: string): Capabilities {
  const constants = constantStrings(files);
  const found = {
    usesDb: false,
    secrets: new Set<string>(),
    connections: new Set<string>(),
    dynamicSecrets: false,
    hosts: new Set<string>(),
    dynamicFetch: false,
    dynamicTargets: [] as { file: string; target: string }[],
  };
  for (const f of files) {
    const envNames = envBindings(f.tokens);
    walk(f.tokens, (tokens, i) => {
      const t = tokens[i]!;
      if (t.kind !== "ident") return;
      const prev = tokens[i - 1];
      const afterDot = isPunct(prev, ".") || isPunct(prev, "?.");
      if (t.value === "fetch") scanFetch(f, tokens, i, constants, found);
      if (afterDot && Object.hasOwn(REF_KINDS, t.value)) scanRefs(tokens, i, found[REF_KINDS[t.value as keyof typeof REF_KINDS]], found);
      if (afterDot && DB_MEMBERS.has(t.value)) {
        const root = tokens[i - 2];
        if (t.value === "Pro_User_Binding" || (root?.kind === "ident" && envNames.has(root.value) && !isPunct(tokens[i - 3], "."))) found.usesDb = true;
      }
      // env["db"]; env[name] could be anything, secrets included
      if (envNames.has(t.value) && !afterDot && isPunct(tokens[i + 1], "[")) {
        const key = tokens[i + 2];
        if (key?.kind === "string" && isPunct(tokens[i + 3], "]")) {
          if (DB_MEMBERS.has(key.value)) found.usesDb = true;
          if (Object.hasOwn(REF_KINDS, key.value)) scanRefs(tokens, i + 3, found[REF_KINDS[key.value as keyof typeof REF_KINDS]], found);
        } else found.dynamicSecrets = true;
      }
      // const { db, secrets: s } = env
      if (envNames.has(t.value) && isPunct(prev, "=") && isPunct(tokens[i - 2], "}")) {
        for (const key of patternKeys(tokens, i - 2)) if (DB_MEMBERS.has(key)) found.usesDb = true;
      }
    });
    for (const keys of envParamPatterns(f.tokens)) {
      if (keys.some((k) => DB_MEMBERS.has(k))) found.usesDb = true;
      if (keys.some((k) => Object.hasOwn(REF_KINDS, k))) found.dynamicSecrets = true; // ({ secrets }) => passed around by the bare name
    }
  }
  const schedule = scanSchedule(files.find((f) => f.file === mainFile));
  return {
    usesDb: found.usesDb,
    secrets: [...found.secrets].sort(),
    connections: [...found.connections].sort(),
    dynamicSecrets: found.dynamicSecrets,
    egress: { hosts: [...found.hosts].sort(), dynamicFetch: found.dynamicFetch, dynamicTargets: found.dynamicTargets.slice(0, MAX_LISTED_DYNAMIC_TARGETS) },
    schedules: schedule.schedules,
    dynamicSchedule: schedule.dynamic,
  };
}

type Found = {
  dynamicSecrets: boolean;
  hosts: Set<string>;
  dynamicFetch: boolean;
  dynamicTargets: { file: string; target: string }[];
};

/** Calls visit(tokens, i) for every token, template expressions included. */
function walk(tokens: Token[], visit: (tokens: Token[], i: number) => void): void {
  for (let i = 0; i < tokens.length; i++) {
    visit(tokens, i);
    const t = tokens[i]!;
    if (t.kind === "template") for (const expr of t.exprs) walk(expr, visit);
  }
}

function scanFetch(f: ScannedFile, tokens: Token[], i: number, constants: Map<string, string>, found: Found): void {
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  if (isPunct(prev, ".") || isPunct(prev, "?.")) {
    // obj.fetch(...) is some object's method; globalThis.fetch is the global one.
    const owner = tokens[i - 2];
    if (!(owner?.kind === "ident" && GLOBAL_OBJECTS.has(owner.value) && !isPunct(tokens[i - 3], "."))) return;
  } else if (prev?.kind === "ident" && ["function", "async", "get", "set", "static"].includes(prev.value)) {
    return; // a function or method named fetch is being defined
  }
  if (!isPunct(next, "(")) {
    if (isPunct(next, ":") || isIdent(prev, "typeof")) return; // an object key, or a feature test
    // fetch handed to other code (const f = fetch; lib({ fetch })): its targets are out of sight.
    found.dynamicFetch = true;
    found.dynamicTargets.push({ file: f.file, target: "fetch passed as a value" });
    return;
  }
  const close = matching(tokens, i + 1);
  if (isPunct(tokens[close + 1], "{")) return; // method definition: fetch(request) { ... }
  const arg = firstArgument(tokens, i + 2, close);
  const host = arg.length ? hostOf(targetUrl(arg, constants)) : null;
  if (host) {
    found.hosts.add(host);
    return;
  }
  found.dynamicFetch = true;
  const start = arg[0]?.start ?? tokens[i]!.start;
  const end = arg[arg.length - 1]?.end ?? tokens[close]!.end;
  const text = f.text.slice(start, end).replace(/\s+/g, " ");
  found.dynamicTargets.push({ file: f.file, target: text.length > MAX_TARGET_TEXT ? `${text.slice(0, MAX_TARGET_TEXT)}...` : text });
}

/** `secrets` at tokens[i], read as a member: `.NAME`, `?.NAME`, `["NAME"]`, or destructured `{ NAME } = x.secrets`. */
function scanRefs(tokens: Token[], i: number, into: Set<string>, found: Found): void {
  let j = i + 1;
  if (isPunct(tokens[j], "?.") && isPunct(tokens[j + 1], "[")) j++;
  const next = tokens[j];
  if ((isPunct(next, ".") || isPunct(next, "?.")) && tokens[j + 1]?.kind === "ident") {
    into.add(textOf(tokens[j + 1]));
  } else if (isPunct(next, "[") && tokens[j + 1]?.kind === "string" && isPunct(tokens[j + 2], "]")) {
    into.add(textOf(tokens[j + 1]));
  } else {
    // x.secrets used whole: destructured names are known, anything else is not.
    const rootStart = i - 2; // the object before ".secrets"
    const eq = tokens[rootStart - 1];
    if (isPunct(eq, "=") && isPunct(tokens[rootStart - 2], "}")) {
      for (const key of patternKeys(tokens, rootStart - 2)) into.add(key);
    } else {
      found.dynamicSecrets = true;
    }
  }
}

/** Names that stand for env in this file: "env", the entry points' second parameter, aliases `const e = env`. */
function envBindings(tokens: Token[]): Set<string> {
  const names = new Set(["env"]);
  for (const open of entryParamLists(tokens)) {
    const second = secondParam(tokens, open);
    if (second?.kind === "ident") names.add(second.value);
  }
  for (let i = 0; i + 3 < tokens.length; i++) {
    const [decl, name, eq, value, end] = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3], tokens[i + 4]];
    if (decl?.kind === "ident" && ["const", "let", "var"].includes(decl.value) && name?.kind === "ident" && isPunct(eq, "=") && value?.kind === "ident" && names.has(value.value) && !isPunct(end, ".") && !isPunct(end, "[")) {
      names.add(name.value);
    }
  }
  return names;
}

/**
 * The "(" of each entry point's parameter list: `export default [async] function [name](` or
 * `export default [async] (`, and `export [async] function scheduled(`.
 */
function entryParamLists(tokens: Token[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isIdent(tokens[i], "export")) continue;
    const isDefault = isIdent(tokens[i + 1], "default");
    let j = i + (isDefault ? 2 : 1);
    if (isIdent(tokens[j], "async")) j++;
    if (isIdent(tokens[j], "function")) {
      j++;
      if (isPunct(tokens[j], "*")) j++;
      if (!isDefault && !isIdent(tokens[j], "scheduled")) continue;
      if (tokens[j]?.kind === "ident") j++;
    } else if (!isDefault) continue;
    if (isPunct(tokens[j], "(")) out.push(j);
  }
  return out;
}

/** Keys of object patterns in the entry points' env parameter: run(input, { db, secrets }). */
function envParamPatterns(tokens: Token[]): string[][] {
  const out: string[][] = [];
  for (const open of entryParamLists(tokens)) {
    const second = secondParam(tokens, open);
    if (isPunct(second, "{")) out.push(patternKeys(tokens, matching(tokens, tokens.indexOf(second!))));
  }
  return out;
}

/** The first token of the second parameter of the list opened at tokens[open]. */
function secondParam(tokens: Token[], open: number): Token | undefined {
  const close = matching(tokens, open);
  const comma = scanAtDepth(tokens, open + 1, close, isComma);
  return comma < close ? tokens[comma + 1] : undefined;
}

/** Top-level keys of the object pattern that closes at tokens[close] ("}"): { a, b: x, c = 1, ...rest }. */
function patternKeys(tokens: Token[], close: number): string[] {
  let depth = 0;
  let open = close;
  for (; open >= 0; open--) {
    const t = tokens[open]!;
    if (t.kind === "punct" && ")]}".includes(t.value)) depth++;
    else if (t.kind === "punct" && "([{".includes(t.value)) depth--;
    if (depth === 0) break;
  }
  const keys: string[] = [];
  depth = 0;
  for (let k = open + 1; k < close; k++) {
    const t = tokens[k]!;
    if (t.kind === "punct" && "([{".includes(t.value)) depth++;
    else if (t.kind === "punct" && ")]}".includes(t.value)) depth--;
    else if (depth === 0 && (t.kind === "ident" || t.kind === "string") && (k - 1 === open || isPunct(tokens[k - 1], ","))) keys.push(t.value);
  }
  return keys;
}

/**
 * The first index from `from` (before `end`) where, outside any bracket opened on the way, `stop` holds or a
 * bracket closes that was opened before `from`; `end` when there is none. Every bracket walk here is this one.
 */
function scanAtDepth(tokens: Token[], from: number, end: number, stop: (t: Token) => boolean): number {
  let depth = 0;
  for (let k = from; k < end; k++) {
    const t = tokens[k]!;
    if (t.kind !== "punct") continue;
    if ("([{".includes(t.value)) depth++;
    else if (")]}".includes(t.value)) {
      if (depth === 0) return k;
      depth--;
    } else if (depth === 0 && stop(t)) return k;
  }
  return end;
}

const isComma = (t: Token) => isPunct(t, ",");

/** Index of the bracket closing the one at tokens[open] (or the last index when unbalanced). */
function matching(tokens: Token[], open: number): number {
  return Math.min(scanAtDepth(tokens, open + 1, tokens.length, () => false), tokens.length - 1);
}

/** Tokens of the first argument of a call whose arguments run from tokens[from] to before tokens[close]. */
function firstArgument(tokens: Token[], from: number, close: number): Token[] {
  return tokens.slice(from, scanAtDepth(tokens, from, close, isComma));
}

/** What the scan knows of a string expression: a known prefix, and whether that prefix is all of it. */
interface Known {
  prefix: string;
  complete: boolean;
}

const UNKNOWN: Known = { prefix: "", complete: false };

/** The URL an argument names: a string expression, or `new URL(path, base)` / `new Request(url, ...)`. */
function targetUrl(arg: Token[], constants: Map<string, string>): Known {
  if (isIdent(arg[0], "new") && (isIdent(arg[1], "URL") || isIdent(arg[1], "Request")) && isPunct(arg[2], "(")) {
    const close = matching(arg, 2);
    if (close !== arg.length - 1) return UNKNOWN; // new URL(...).something
    const first = firstArgument(arg, 3, close);
    const url = stringValue(first, constants);
    if (isIdent(arg[1], "URL") && first.length + 3 < close) {
      // new URL(path, base): the base decides the host unless the path is absolute.
      const base = stringValue(arg.slice(3 + first.length + 1, close), constants);
      if (url.complete && /^[a-z][a-z0-9+.-]*:/i.test(url.prefix)) return url;
      if (url.complete && base.complete && !url.prefix.startsWith("//")) {
        try {
          return { prefix: new URL(url.prefix, base.prefix).href, complete: true };
        } catch {
          return UNKNOWN;
        }
      }
      return UNKNOWN;
    }
    return url;
  }
  return stringValue(arg, constants);
}

/** A `+` chain of string literals, templates and constants, as far as it is known from the left. */
function stringValue(tokens: Token[], constants: Map<string, string>): Known {
  let prefix = "";
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    let part: Known;
    if (t.kind === "string") part = { prefix: t.value, complete: true };
    else if (t.kind === "template") part = templateValue(t, constants);
    else if (t.kind === "ident" && constants.has(t.value)) part = { prefix: constants.get(t.value)!, complete: true };
    else if (isPunct(t, "(") && matching(tokens, k) < tokens.length) {
      const close = matching(tokens, k);
      part = stringValue(tokens.slice(k + 1, close), constants);
      k = close;
    } else return { prefix, complete: false };
    prefix += part.prefix;
    if (!part.complete) return { prefix, complete: false };
    const next = tokens[k + 1];
    if (next === undefined) return { prefix, complete: true };
    if (!isPunct(next, "+")) return { prefix, complete: false }; // .replace(...), ?: and the like
    k++;
  }
  return { prefix, complete: false };
}

function templateValue(t: Extract<Token, { kind: "template" }>, constants: Map<string, string>): Known {
  let prefix = t.quasis[0]!;
  for (let k = 0; k < t.exprs.length; k++) {
    const expr = stringValue(t.exprs[k]!, constants);
    prefix += expr.prefix;
    if (!expr.complete) return { prefix, complete: false };
    prefix += t.quasis[k + 1]!;
  }
  return { prefix, complete: true };
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
 * `const NAME = <string expression>` bindings the scan may substitute: a name declared once (or always with the
 * same value) by const, and bound nowhere else in any file (no parameter, let, var, function, class, catch or
 * destructuring of that name), so a read of it can only mean that string. Imports of such a name keep it.
 */
function constantStrings(files: ScannedFile[]): Map<string, string> {
  const otherBindings = new Set<string>();
  for (const f of files) collectOtherBindings(f.tokens, otherBindings);
  let known = new Map<string, string>();
  // Two rounds: a constant defined from another constant resolves in the second.
  for (let round = 0; round < 2; round++) {
    const values = new Map<string, string | null>();
    for (const f of files) {
      const tokens = f.tokens;
      for (let i = 0; i < tokens.length; i++) {
        if (!isIdent(tokens[i], "const") || tokens[i + 1]?.kind !== "ident" || !isPunct(tokens[i + 2], "=")) continue;
        const name = textOf(tokens[i + 1]);
        const value = stringValue(tokens.slice(i + 3, expressionEnd(tokens, i + 3)), known);
        const text = value.complete ? value.prefix : null;
        values.set(name, values.has(name) && values.get(name) !== text ? null : text);
      }
    }
    known = new Map([...values].filter((e): e is [string, string] => e[1] !== null && !otherBindings.has(e[0])));
  }
  return known;
}

/** Where the expression starting at tokens[from] ends: the next ",", ";" or closing bracket at its depth. */
function expressionEnd(tokens: Token[], from: number): number {
  return scanAtDepth(tokens, from, tokens.length, (t) => isComma(t) || isPunct(t, ";"));
}

/** Names bound other than by `const NAME =`: parameters, let/var/function/class names, patterns, catch. */
function collectOtherBindings(tokens: Token[], into: Set<string>): void {
  walk(tokens, (ts, i) => {
    const t = ts[i]!;
    if (t.kind === "ident" && ["let", "var", "function", "class"].includes(t.value)) {
      const next = ts[i + 1];
      if (next?.kind === "ident") into.add(next.value);
      else if (isPunct(next, "*") && ts[i + 2]?.kind === "ident") into.add(textOf(ts[i + 2]));
      else if (isPunct(next, "{") || isPunct(next, "[")) addIdents(ts.slice(i + 2, matching(ts, i + 1)), into);
    }
    if (isIdent(t, "const") && (isPunct(ts[i + 1], "{") || isPunct(ts[i + 1], "["))) addIdents(ts.slice(i + 2, matching(ts, i + 1)), into);
    // A parenthesised list followed by "=>" or "{" is a parameter list (or a condition: counted too, to be safe).
    if (isPunct(t, "(")) {
      const close = matching(ts, i);
      if (isPunct(ts[close + 1], "=>") || isPunct(ts[close + 1], "{")) addIdents(ts.slice(i + 1, close), into);
    }
    if (t.kind === "ident" && isPunct(ts[i + 1], "=>")) into.add(t.value);
  });
}

function addIdents(tokens: Token[], into: Set<string>): void {
  walk(tokens, (ts, i) => {
    const t = ts[i]!;
    if (t.kind === "ident") into.add(t.value);
  });
}

/** `export const schedule = "..." | ["...", ...]` in the main file. */
function scanSchedule(f: ScannedFile | undefined): { schedules: string[]; dynamic: boolean } {
  if (!f) return { schedules: [], dynamic: false };
  const tokens = f.tokens;
  for (let i = 0; i < tokens.length; i++) {
    if (!isIdent(tokens[i], "schedule") || !isIdent(tokens[i - 1], "const") || !isPunct(tokens[i + 1], "=")) continue;
    const end = expressionEnd(tokens, i + 2);
    const value = tokens.slice(i + 2, end);
    if (value.length === 1 && isLiteral(value[0])) return { schedules: [literalText(value[0]!)], dynamic: false };
    if (isPunct(value[0], "[") && matching(value, 0) === value.length - 1) {
      const items = value.slice(1, -1).filter((t) => !isPunct(t, ","));
      const commas = value.slice(1, -1).length - items.length;
      if (items.every(isLiteral) && commas >= items.length - 1) return { schedules: items.map(literalText), dynamic: false };
    }
    return { schedules: [], dynamic: true };
  }
  return { schedules: [], dynamic: false };
}

function isLiteral(t: Token | undefined): boolean {
  return t?.kind === "string" || (t?.kind === "template" && t.exprs.length === 0);
}

function literalText(t: Token): string {
  return t.kind === "template" ? t.quasis[0]! : t.value;
}

/** The text of an identifier, punctuator, number, regex or (cooked) string token. */
function textOf(t: Token | undefined): string {
  return t && "value" in t ? t.value : "";
}

function isPunct(t: Token | undefined, value: string): boolean {
  return t?.kind === "punct" && t.value === value;
}

function isIdent(t: Token | undefined, value: string): boolean {
  return t?.kind === "ident" && t.value === value;
}
