// Recursive common table expressions are the one way a short SQL statement runs without end on tables it
// does not need (`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c`).
// SQLite in a Durable Object offers no progress handler or interrupt, and a single step of such a statement
// never returns to JavaScript: it has to be refused before it runs. A recursive CTE is accepted only with a
// LIMIT of literal integers on its own select (SQLite stops adding rows to the recursion at that count).
//
// A small tokenizer, not a parser: it knows SQLite's strings, quoted identifiers and comments, so a CTE name
// is found only where it is a name. A CTE counts as recursive when its body names it (SQLite also accepts
// recursion without the RECURSIVE keyword); a shadowing name in a nested WITH is counted too, which errs on
// the side of refusing.

/** Rows a recursive CTE may produce (its LIMIT plus OFFSET). */
export const MAX_RECURSIVE_ROWS = 100_000;

type Token = { kind: "word" | "quoted" | "number" | "punct"; text: string };

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const until = (close: string, from: number): number => {
    // Quotes are escaped by doubling them: '' inside '...', "" inside "...".
    let j = from;
    for (;;) {
      const k = sql.indexOf(close, j);
      if (k === -1) return sql.length;
      if (close.length === 1 && close !== "]" && sql[k + 1] === close) j = k + 2;
      else return k + close.length;
    }
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) i++;
    else if (sql.startsWith("--", i)) i = sql.indexOf("\n", i) === -1 ? sql.length : sql.indexOf("\n", i) + 1;
    else if (sql.startsWith("/*", i)) i = until("*/", i + 2);
    else if (c === "'")
      i = until("'", i + 1); // a string: nothing in it is a name
    else if (c === '"' || c === "`" || c === "[") {
      const end = until(c === "[" ? "]" : c, i + 1);
      tokens.push({ kind: "quoted", text: sql.slice(i + 1, end - 1).toLowerCase() });
      i = end;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const m = /^[A-Za-z0-9_$\u0080-\uffff]+/.exec(sql.slice(i, i + 256))!;
      tokens.push({ kind: "word", text: m[0].toLowerCase() });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9A-Za-z_.]+/.exec(sql.slice(i, i + 64))!;
      tokens.push({ kind: "number", text: m[0].toLowerCase() });
      i += m[0].length;
    } else {
      tokens.push({ kind: "punct", text: c });
      i++;
    }
  }
  return tokens;
}

const isName = (t: Token | undefined): t is Token => t !== undefined && (t.kind === "word" || t.kind === "quoted");

/** Index just past the parenthesis that closes the one at `open`. */
function closing(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]!.text === "(" && tokens[i]!.kind === "punct") depth++;
    else if (tokens[i]!.text === ")" && tokens[i]!.kind === "punct" && --depth === 0) return i + 1;
  }
  return tokens.length;
}

/** Rows the LIMIT at the top level of a CTE body allows (LIMIT n, LIMIT n OFFSET m, LIMIT m, n), or null. */
function limitOf(body: Token[]): number | null {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const t = body[i]!;
    if (t.kind === "punct" && t.text === "(") depth++;
    else if (t.kind === "punct" && t.text === ")") depth--;
    else if (depth === 0 && t.kind === "word" && t.text === "limit") {
      const rest = body.slice(i + 1);
      const integer = (k: number) =>
        rest[k]?.kind === "number" && /^[0-9]+$/.test(rest[k]!.text) ? Number(rest[k]!.text) : null;
      const first = integer(0);
      if (first === null) return null;
      if (rest.length === 1) return first;
      const second = (rest[1]!.text === "," || rest[1]!.text === "offset") && rest.length === 3 ? integer(2) : null;
      return second === null ? null : first + second;
    }
  }
  return null;
}

/** Why the SQL may run without end (a recursive CTE without a small literal LIMIT), or null. */
export function unboundedRecursion(sql: string): string | null {
  if (!/with/i.test(sql)) return null; // the common case costs one scan of the text
  const tokens = tokenize(sql);
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.kind !== "word" || tokens[i]!.text !== "with") continue;
    let j = i + 1;
    if (tokens[j]?.text === "recursive") j++;
    while (isName(tokens[j])) {
      const name = tokens[j]!.text;
      j++;
      if (tokens[j]?.text === "(") j = closing(tokens, j); // column names
      if (tokens[j]?.text !== "as") break;
      j++;
      while (tokens[j]?.text === "not" || tokens[j]?.text === "materialized") j++;
      if (tokens[j]?.text !== "(") break;
      const end = closing(tokens, j);
      const body = tokens.slice(j + 1, end - 1);
      if (body.some((t) => isName(t) && t.text === name)) {
        const rows = limitOf(body);
        if (rows === null || rows > MAX_RECURSIVE_ROWS) {
          return `recursive CTE "${name}" needs a LIMIT of at most ${MAX_RECURSIVE_ROWS} rows on its own select`;
        }
      }
      j = end;
      if (tokens[j]?.text !== ",") break;
      j++;
    }
  }
  return null;
}
