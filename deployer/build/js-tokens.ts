// A small JavaScript tokenizer for the capability scan: enough to tell code from strings, template literals,
// regular expressions and comments, so that "fetch(" inside a comment or a string never counts and a URL
// inside a template literal is read as one. It runs on esbuild's output for each file (types and JSX already
// gone), not on TypeScript, so it only has to know plain modern JavaScript.

export type Token =
  | { kind: "ident" | "punct" | "number" | "regex"; value: string; start: number; end: number }
  | { kind: "string"; value: string; start: number; end: number }
  /** quasis.length === exprs.length + 1; each expression is its own token list. */
  | { kind: "template"; quasis: string[]; exprs: Token[][]; start: number; end: number };

const PUNCTUATORS = [
  ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
  "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "**", "<<", ">>",
];

/** After these words a "/" starts a regular expression, not a division. */
const KEYWORDS_BEFORE_EXPRESSION = new Set([
  "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await",
]);

/** Character classes by code, not regular expressions: this loop runs once per character of up to 1 MiB. */
const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 128;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029;
/** First characters of the multi-character punctuators. */
const MULTI_START = new Set(PUNCTUATORS.map((p) => p[0]));

export class TokenizeError extends Error {
  override readonly name = "TokenizeError";
}

export function tokenize(source: string): Token[] {
  return new Tokenizer(source).run(false);
}

class Tokenizer {
  private pos = 0;
  private readonly src: string;
  constructor(src: string) {
    this.src = src;
    if (src.startsWith("#!")) this.pos = src.indexOf("\n") === -1 ? src.length : src.indexOf("\n");
  }

  /** Tokens until the end, or (inside a template's `${`) until the brace that closes it. */
  run(insideTemplate: boolean): Token[] {
    const out: Token[] = [];
    let depth = 0;
    const src = this.src;
    while (this.pos < src.length) {
      const ch = src[this.pos]!;
      const code = src.charCodeAt(this.pos);
      const next = src[this.pos + 1];
      const nextCode = src.charCodeAt(this.pos + 1);
      if (isSpace(code)) {
        this.pos++;
      } else if (ch === "/" && next === "/") {
        const end = src.indexOf("\n", this.pos);
        this.pos = end === -1 ? src.length : end;
      } else if (ch === "/" && next === "*") {
        const end = src.indexOf("*/", this.pos + 2);
        if (end === -1) throw new TokenizeError("unterminated comment");
        this.pos = end + 2;
      } else if (ch === '"' || ch === "'") {
        out.push(this.readString(ch));
      } else if (ch === "`") {
        out.push(this.readTemplate());
      } else if (isIdentStart(code) || (ch === "#" && isIdentStart(nextCode))) {
        const start = this.pos++;
        while (this.pos < src.length && isIdentPart(src.charCodeAt(this.pos))) this.pos++;
        out.push({ kind: "ident", value: src.slice(start, this.pos), start, end: this.pos });
      } else if (isDigit(code) || (ch === "." && isDigit(nextCode))) {
        const start = this.pos++;
        while (this.pos < src.length && (isIdentPart(src.charCodeAt(this.pos)) || src[this.pos] === ".")) {
          const c = src[this.pos++]!;
          if ((c === "e" || c === "E") && (src[this.pos] === "+" || src[this.pos] === "-") && !/^0[xX]/.test(src.slice(start))) this.pos++;
        }
        out.push({ kind: "number", value: src.slice(start, this.pos), start, end: this.pos });
      } else if (ch === "/" && startsExpression(out[out.length - 1])) {
        out.push(this.readRegex());
      } else if (insideTemplate && ch === "}" && depth === 0) {
        this.pos++;
        return out;
      } else {
        const start = this.pos;
        // "?." followed by a digit is "? .5", not optional chaining.
        const multi = MULTI_START.has(ch) ? PUNCTUATORS.find((p) => src.startsWith(p, start) && !(p === "?." && isDigit(src.charCodeAt(start + 2)))) : undefined;
        const value = multi ?? ch;
        this.pos += value.length;
        if (value === "{") depth++;
        if (value === "}") depth--;
        out.push({ kind: "punct", value, start, end: this.pos });
      }
    }
    if (insideTemplate) throw new TokenizeError("unterminated template expression");
    return out;
  }

  private readString(quote: string): Token {
    const start = this.pos++;
    let value = "";
    while (true) {
      const ch = this.src[this.pos];
      if (ch === undefined || ch === "\n") throw new TokenizeError("unterminated string");
      this.pos++;
      if (ch === quote) break;
      value += ch === "\\" ? this.readEscape() : ch;
    }
    return { kind: "string", value, start, end: this.pos };
  }

  private readTemplate(): Token {
    const start = this.pos++;
    const quasis: string[] = [];
    const exprs: Token[][] = [];
    let current = "";
    while (true) {
      const ch = this.src[this.pos];
      if (ch === undefined) throw new TokenizeError("unterminated template literal");
      this.pos++;
      if (ch === "`") break;
      if (ch === "\\") current += this.readEscape();
      else if (ch === "$" && this.src[this.pos] === "{") {
        this.pos++;
        quasis.push(current);
        current = "";
        exprs.push(this.run(true));
      } else current += ch;
    }
    quasis.push(current);
    return { kind: "template", quasis, exprs, start, end: this.pos };
  }

  /** The character an escape stands for (after the backslash); approximate for the rare forms. */
  private readEscape(): string {
    const ch = this.src[this.pos++] ?? "";
    const hex = (n: number) => {
      const digits = this.src.slice(this.pos, this.pos + n);
      this.pos += n;
      return String.fromCodePoint(Number.parseInt(digits, 16) || 0);
    };
    switch (ch) {
      case "n": return "\n";
      case "t": return "\t";
      case "r": return "\r";
      case "b": return "\b";
      case "f": return "\f";
      case "v": return "\v";
      case "0": return "\0";
      case "\n": return "";
      case "x": return hex(2);
      case "u": {
        if (this.src[this.pos] !== "{") return hex(4);
        const close = this.src.indexOf("}", this.pos);
        const digits = this.src.slice(this.pos + 1, close);
        this.pos = close + 1;
        return String.fromCodePoint(Number.parseInt(digits, 16) || 0);
      }
      default: return ch;
    }
  }

  private readRegex(): Token {
    const start = this.pos++;
    let inClass = false;
    while (true) {
      const ch = this.src[this.pos++];
      if (ch === undefined || ch === "\n") throw new TokenizeError("unterminated regular expression");
      if (ch === "\\") this.pos++;
      else if (ch === "[") inClass = true;
      else if (ch === "]") inClass = false;
      else if (ch === "/" && !inClass) break;
    }
    while (this.pos < this.src.length && isIdentPart(this.src.charCodeAt(this.pos))) this.pos++;
    return { kind: "regex", value: this.src.slice(start, this.pos), start, end: this.pos };
  }
}

/** Whether a "/" after this token begins a regular expression (true) or is a division (false). */
function startsExpression(previous: Token | undefined): boolean {
  if (!previous) return true;
  if (previous.kind === "ident") return KEYWORDS_BEFORE_EXPRESSION.has(previous.value);
  if (previous.kind === "punct") return previous.value !== ")" && previous.value !== "]";
  return false; // after a number, string, template or regex
}
