// How deeply a source file nests, measured without parsing it. esbuild's parser recurses once per nesting
// level; in esbuild-wasm a few thousand levels exhaust the Go runtime's stack inside workerd and kill the whole
// instance ("fatal error: schedule: holding locks"), and long arrow chains cost time that grows faster than
// their length. A parser of our own would recurse the same way, so this is one linear pass over the
// characters: strings, comments and regular expressions are skipped, brackets (and template `${`) open a level,
// and every operator that makes the parser recurse without a bracket (`=>`, `?`, `=`, prefix `!`, `~`, `-`,
// `+`, `typeof`, `await`, ...) adds one to the level it is in until the next `;` or `,` closes that run.
// It is conservative: where it cannot tell (a `/` that may be a division) it counts, so in doubt a deep file
// is refused with a clear message rather than handed to esbuild.

export interface NestingProblem {
  line: number;
  column: number;
  text: string;
}

/** Keywords after which an expression starts: a `/` there begins a regular expression, `-` is unary. */
const EXPRESSION_KEYWORDS = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);
/** Keywords that are prefix operators: each one makes the parser recurse for its operand. */
const PREFIX_KEYWORDS = new Set(["typeof", "void", "delete", "await", "new", "yield"]);
const OPENERS = new Set(["(", "[", "{"]);
/** Multi-character punctuators, longest first, so "!==" is not read as "!" then "==". */
const PUNCTUATORS = [
  ">>>=",
  "...",
  "===",
  "!==",
  "**=",
  "<<=",
  ">>=",
  ">>>",
  "&&=",
  "||=",
  "??=",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "??",
  "?.",
  "**",
  "++",
  "--",
  "<<",
  ">>",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "|=",
  "^=",
];
/** Operators whose right side the parser reads by recursing: assignments, the conditional, prefix `!` and `~`. */
const RECURSING = new Set([
  "=",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "|=",
  "^=",
  "**=",
  "<<=",
  ">>=",
  ">>>=",
  "&&=",
  "||=",
  "??=",
  "?",
  "!",
  "~",
]);
const CLOSERS = new Set([")", "]", "}"]);
/** Characters after which an expression starts (so `/` is a regular expression, `-` and `+` are unary). */
const EXPRESSION_START = new Set([
  "",
  "(",
  "[",
  "{",
  ",",
  ";",
  ":",
  "?",
  "=",
  "!",
  "&",
  "|",
  "^",
  "~",
  "+",
  "-",
  "*",
  "%",
  "<",
  ">",
  "}",
]);

interface Level {
  /** Operators seen in this bracket since its last `;` or `,`. */
  chain: number;
  arrows: number;
  /** A template literal's `${`: its `}` resumes the template. */
  template: boolean;
}

export interface NestingLimits {
  /** Open brackets plus chained operators. */
  depth: number;
  /** Arrow functions nested in one another. */
  arrows: number;
}

/** The first place where `source` nests deeper than `limits`, or null. */
export function nestingProblem(source: string, limits: NestingLimits): NestingProblem | null {
  const { depth: MAX_NESTING_DEPTH, arrows: MAX_ARROW_CHAIN } = limits;
  const stack: Level[] = [{ chain: 0, arrows: 0, template: false }];
  let depth = 0; // open brackets plus every level's chain
  let arrows = 0; // arrows along the stack
  let previous = ""; // last significant character or word
  let i = 0;
  const n = source.length;

  const at = (index: number, text: string): NestingProblem => {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < index; k++) {
      if (source.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
    return { line, column: index - lineStart + 1, text };
  };
  const tooDeep = (index: number) =>
    at(
      index,
      `nesting is deeper than ${MAX_NESTING_DEPTH} levels (brackets and chained operators such as ` +
        `=>, ?, = and prefix operators); split the expression up`,
    );
  const chain = (index: number, isArrow = false): NestingProblem | null => {
    const level = stack[stack.length - 1]!;
    level.chain++;
    depth++;
    if (isArrow) {
      level.arrows++;
      arrows++;
      if (arrows > MAX_ARROW_CHAIN)
        return at(index, `more than ${MAX_ARROW_CHAIN} arrow functions nest here; split the chain up`);
    }
    return depth > MAX_NESTING_DEPTH ? tooDeep(index) : null;
  };
  const endRun = () => {
    const level = stack[stack.length - 1]!;
    depth -= level.chain;
    arrows -= level.arrows;
    level.chain = 0;
    level.arrows = 0;
  };
  /** Skips a template literal's text from `i` (after "`" or "}"); true when it stopped at a `${`. */
  const skipTemplateText = (): boolean => {
    while (i < n) {
      const c = source[i]!;
      if (c === "\\") i += 2;
      else if (c === "`") {
        i++;
        return false;
      } else if (c === "$" && source[i + 1] === "{") {
        i += 2;
        return true;
      } else i++;
    }
    return false;
  };
  const openTemplateExpression = (index: number): NestingProblem | null => {
    stack.push({ chain: 0, arrows: 0, template: true });
    depth++;
    previous = "{";
    return depth > MAX_NESTING_DEPTH ? tooDeep(index) : null;
  };

  while (i < n) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "/" && next === "/") {
      while (i < n && source[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      while (i < n && source[i] !== c && source[i] !== "\n") i += source[i] === "\\" ? 2 : 1;
      i++;
      previous = "a";
      continue;
    }
    if (c === "`") {
      const start = i;
      i++;
      if (skipTemplateText()) {
        const problem = openTemplateExpression(start);
        if (problem) return problem;
      } else previous = "a";
      continue;
    }
    if (/[A-Za-z_$\u0080-\uffff]/.test(c)) {
      const start = i;
      while (i < n && /[\w$\u0080-\uffff]/.test(source[i]!)) i++;
      const word = source.slice(start, i);
      if (PREFIX_KEYWORDS.has(word)) {
        const problem = chain(start);
        if (problem) return problem;
      }
      previous = EXPRESSION_KEYWORDS.has(word) ? "(" : "a";
      continue;
    }
    if (/[0-9.]/.test(c) && !(c === "." && next === ".")) {
      while (i < n && /[\w.]/.test(source[i]!)) i++;
      previous = "a";
      continue;
    }
    if (c === "/" && EXPRESSION_START.has(previous)) {
      // A regular expression: to its closing slash on this line, classes and escapes included.
      let inClass = false;
      i++;
      while (i < n && source[i] !== "\n") {
        const r = source[i]!;
        if (r === "\\") i++;
        else if (r === "[") inClass = true;
        else if (r === "]") inClass = false;
        else if (r === "/" && !inClass) break;
        i++;
      }
      i++;
      while (i < n && /\w/.test(source[i]!)) i++;
      previous = "a";
      continue;
    }
    if (OPENERS.has(c)) {
      stack.push({ chain: 0, arrows: 0, template: false });
      depth++;
      if (depth > MAX_NESTING_DEPTH) return tooDeep(i);
      previous = c;
      i++;
      continue;
    }
    if (CLOSERS.has(c)) {
      if (stack.length > 1) {
        endRun();
        const closed = stack.pop()!;
        depth--;
        if (closed.template) {
          i++;
          if (skipTemplateText()) {
            const problem = openTemplateExpression(i - 2);
            if (problem) return problem;
          } else previous = "a";
          continue;
        }
      }
      previous = c === "}" ? "}" : "a";
      i++;
      continue;
    }
    if (c === ";" || c === ",") {
      endRun();
      previous = c;
      i++;
      continue;
    }
    if (c === "=" && next === ">") {
      const problem = chain(i, true);
      if (problem) return problem;
      previous = "=";
      i += 2;
      continue;
    }
    const operator = PUNCTUATORS.find((p) => source.startsWith(p, i)) ?? c;
    const recurses =
      RECURSING.has(operator) || ((operator === "-" || operator === "+") && EXPRESSION_START.has(previous));
    if (recurses) {
      const problem = chain(i);
      if (problem) return problem;
    }
    previous = operator[operator.length - 1]!;
    i += operator.length;
  }
  return null;
}
