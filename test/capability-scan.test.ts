// The capability scan on its own: what it resolves, and that it says "dynamic" instead of guessing whenever a
// fetch target, a secret name or a schedule is not fixed by the source. Inputs are plain JavaScript, as the
// deployer hands it over after esbuild has removed types and JSX.

import { describe, expect, it } from "vitest";
import { scanCapabilities } from "../deployer/build/capability-scan.ts";
import { tokenize } from "../deployer/build/js-tokens.ts";

const scan = (code: string, more: Record<string, string> = {}) => {
  const files = { "index.js": code, ...more };
  return scanCapabilities(Object.entries(files).map(([file, text]) => ({ file, text, tokens: tokenize(text) })), "index.js");
};
const hosts = (code: string) => scan(code).egress;

describe("fetch targets", () => {
  it("reads hosts of literal and template URLs whose host is fixed", () => {
    expect(hosts(`await fetch("https://api.stripe.com/v1/charges", { method: "POST" });`)).toEqual({ hosts: ["api.stripe.com"], dynamicFetch: false, dynamicTargets: [] });
    expect(hosts("fetch(`https://api.github.com/repos/${repo}/issues`)").hosts).toEqual(["api.github.com"]);
    expect(hosts(`fetch("https://API.Example.COM.:8443/x")`).hosts).toEqual(["api.example.com"]);
    expect(hosts(`fetch("https://api.x.com/" + path)`).hosts).toEqual(["api.x.com"]);
    expect(hosts(`globalThis.fetch("https://g.example.com/")`).hosts).toEqual(["g.example.com"]);
    expect(hosts(`fetch(new URL("/v1/items", "https://api.z.com"))`).hosts).toEqual(["api.z.com"]);
    expect(hosts(`fetch(new Request("https://req.example.com/a", { method: "PUT" }))`).hosts).toEqual(["req.example.com"]);
  });

  it("resolves constants bound once by const, also across files and through other constants", () => {
    expect(hosts("const BASE = \"https://api.y.com\"; fetch(`${BASE}/v1`);").hosts).toEqual(["api.y.com"]);
    const other = { "config.js": `export const ROOT = "https://cfg.example.com"; export const API = ROOT + "/api/";` };
    expect(scan(`import { API } from "./config.js"; fetch(API + "items");`, other).egress).toMatchObject({ hosts: ["cfg.example.com"], dynamicFetch: false });
  });

  it("says dynamic when the host is not fixed, and quotes the target", () => {
    const cases = [
      ["fetch(url)", "url"],
      ["fetch(`https://${sub}.example.com/`)", "`https://${sub}.example.com/`"],
      [`fetch("https://api.x.com" + rest)`, `"https://api.x.com" + rest`], // rest could be ".evil.com"
      [`fetch("https://user@evil.com/")`, `"https://user@evil.com/"`],
      [`fetch("/relative")`, `"/relative"`],
      [`fetch(input.url.replace("a", "b"))`, `input.url.replace("a", "b")`],
    ];
    for (const [code, target] of cases) {
      const found = hosts(code!);
      expect(found, code).toEqual({ hosts: [], dynamicFetch: true, dynamicTargets: [{ file: "index.js", target }] });
    }
  });

  it("does not trust a constant whose name is bound anywhere else (a parameter shadows it)", () => {
    const code = `const BASE = "https://ok.example.com/";\nfunction call(BASE) { return fetch(BASE + "x"); }`;
    expect(hosts(code)).toMatchObject({ hosts: [], dynamicFetch: true });
    const arrow = `const BASE = "https://ok.example.com/";\nconst call = (BASE) => fetch(BASE);`;
    expect(hosts(arrow).dynamicFetch).toBe(true);
    const twice = `const U = "https://a.example.com/";\n{ const U = "https://b.example.com/"; fetch(U); }`;
    expect(hosts(twice).dynamicFetch).toBe(true);
  });

  it("counts fetch handed around as a value as dynamic", () => {
    expect(hosts(`const f = fetch; await f("https://hidden.example.com/");`)).toMatchObject({ hosts: [], dynamicFetch: true, dynamicTargets: [{ target: "fetch passed as a value" }] });
    expect(hosts(`client({ fetch })`).dynamicFetch).toBe(true);
  });

  it("ignores comments, strings, regular expressions, method definitions and other objects' fetch", () => {
    const code = [
      `// fetch("https://comment.example.com/")`,
      `/* fetch("https://block.example.com/") */`,
      `const s = "fetch('https://string.example.com/')";`,
      "const t = `fetch(\"https://template.example.com/\")`;",
      `const r = /fetch\\("https:\\/\\/regex.example.com\\/"/g;`,
      `const ratio = a / b / c;`,
      `const handler = { async fetch(request) { return new Response("x"); }, fetch2: 1 };`,
      `class W { fetch(request) { return 1; } }`,
      `service.fetch("https://binding.example.com/");`,
      `if (typeof fetch === "function") {}`,
      `fetch("https://real.example.com/")`,
    ].join("\n");
    expect(hosts(code)).toEqual({ hosts: ["real.example.com"], dynamicFetch: false, dynamicTargets: [] });
  });
});

describe("env members", () => {
  it("finds secrets and connections however they are read", () => {
    const code = `export default async function run(input, env) {
      const a = env.secrets.STRIPE_KEY;
      const b = env.connections?.GITHUB;
      const c = env.secrets["A_B"];
      const { X, Y: y } = env.secrets;
      const d = env["secrets"].VIA_INDEX;
    }`;
    expect(scan(code)).toMatchObject({ secrets: ["A_B", "STRIPE_KEY", "VIA_INDEX", "X", "Y"], connections: ["GITHUB"], dynamicSecrets: false });
  });

  it("says dynamic when a secret's name is computed or env is indexed by a variable", () => {
    expect(scan(`const v = env.secrets[name];`).dynamicSecrets).toBe(true);
    expect(scan(`const v = env[kind][name];`).dynamicSecrets).toBe(true);
    expect(scan(`helper(env.secrets);`).dynamicSecrets).toBe(true);
  });

  it("finds env.db under any name the entry point gives env, its alias and destructuring", () => {
    expect(scan(`export default async function run(input, env) { await env.db.query("SELECT 1"); }`).usesDb).toBe(true);
    expect(scan(`export default async function run(input, platform) { await platform.db.exec("x"); }`).usesDb).toBe(true);
    expect(scan(`export default async (input, e) => e.Pro_User_Binding.query("x");`).usesDb).toBe(true);
    expect(scan(`export default async function run(input, { db, kv }) { return db; }`).usesDb).toBe(true);
    expect(scan(`const { db } = env;`).usesDb).toBe(true);
    expect(scan(`const e = env; e.db.query("x");`).usesDb).toBe(true);
    expect(scan(`export async function scheduled(event, x) { await x.db.exec("x"); }`).usesDb).toBe(true);
    // Someone else's db property is not env.db.
    expect(scan(`export default async function run(input, env) { return this.db ?? client.db ?? env.kv.get("db"); }`).usesDb).toBe(false);
  });
});

describe("schedules", () => {
  it("reads the cron literals of the main file's schedule export", () => {
    expect(scan(`export const schedule = "*/5 * * * *";`)).toMatchObject({ schedules: ["*/5 * * * *"], dynamicSchedule: false });
    expect(scan(`export const schedule = ["0 * * * *", \`30 2 * * 1\`];`)).toMatchObject({ schedules: ["0 * * * *", "30 2 * * 1"], dynamicSchedule: false });
    expect(scan(`export const schedule = makeSchedule();`)).toMatchObject({ schedules: [], dynamicSchedule: true });
    expect(scan(`export default () => 1;`, { "lib.js": `export const schedule = "* * * * *";` })).toMatchObject({ schedules: [], dynamicSchedule: false });
  });
});

describe("tokenizer", () => {
  it("keeps template expressions, nested templates and regex classes apart from code", () => {
    const tokens = tokenize("const a = `x${`y${z}`}w`; const r = /[/]fetch(/; b = c / d;");
    expect(tokens.filter((t) => t.kind === "template")).toHaveLength(1);
    expect(tokens.filter((t) => t.kind === "regex").map((t) => ("value" in t ? t.value : ""))).toEqual(["/[/]fetch(/"]);
    expect(tokens.filter((t) => t.kind === "ident").map((t) => ("value" in t ? t.value : ""))).toEqual(["const", "a", "const", "r", "b", "c", "d"]);
  });
});
