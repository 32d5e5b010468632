// The capability scan on its own: what it resolves, and that it says "dynamic" instead of guessing whenever a
// fetch target, a secret name or a schedule is not fixed by the source. Inputs are plain JavaScript, as the
// deployer hands it over after esbuild has removed types and JSX.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scanCapabilities } from "../../deployer/build/capability-scan.ts";
import { jsModule } from "../support/js-modules.ts";

const scan = (code: string, more: Record<string, string> = {}) => {
  const files = { "index.js": code, ...more };
  return scanCapabilities(
    Object.entries(files).map(([file, text]) => ({ file, text })),
    "index.js",
  );
};
const hosts = (code: string) => scan(code).egress;

describe("fetch targets", () => {
  it("reads hosts of literal and template URLs whose host is fixed", () => {
    expect(hosts(`await fetch("https://api.stripe.com/v1/charges", { method: "POST" });`)).toEqual({
      hosts: ["api.stripe.com"],
      dynamicFetch: false,
      dynamicTargets: [],
    });
    expect(hosts("fetch(`https://api.github.com/repos/${repo}/issues`)").hosts).toEqual(["api.github.com"]);
    expect(hosts(`fetch("https://API.Example.COM.:8443/x")`).hosts).toEqual(["api.example.com"]);
    expect(hosts(`fetch("https://api.x.com/" + path)`).hosts).toEqual(["api.x.com"]);
    expect(hosts(`globalThis.fetch("https://g.example.com/")`).hosts).toEqual(["g.example.com"]);
    expect(hosts(`fetch(new URL("/v1/items", "https://api.z.com"))`).hosts).toEqual(["api.z.com"]);
    expect(hosts(`fetch(new Request("https://req.example.com/a", { method: "PUT" }))`).hosts).toEqual([
      "req.example.com",
    ]);
  });

  it("resolves constants bound once by const, also across files and through other constants", () => {
    expect(hosts('const BASE = "https://api.y.com"; fetch(`${BASE}/v1`);').hosts).toEqual(["api.y.com"]);
    const other = { "config.js": `export const ROOT = "https://cfg.example.com"; export const API = ROOT + "/api/";` };
    expect(scan(`import { API } from "./config.js"; fetch(API + "items");`, other).egress).toMatchObject({
      hosts: ["cfg.example.com"],
      dynamicFetch: false,
    });
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
    expect(hosts(`const f = fetch; await f("https://hidden.example.com/");`)).toMatchObject({
      hosts: [],
      dynamicFetch: true,
      dynamicTargets: [{ target: "fetch passed as a value" }],
    });
    expect(hosts(`client({ fetch })`).dynamicFetch).toBe(true);
  });

  it("ignores comments, strings, regular expressions, method definitions and other objects' fetch", () => {
    const code = [
      `// fetch("https://comment.example.com/")`,
      `/* fetch("https://block.example.com/") */`,
      `const s = "fetch('https://string.example.com/')";`,
      'const t = `fetch("https://template.example.com/")`;',
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
    expect(scan(code)).toMatchObject({
      secrets: ["A_B", "STRIPE_KEY", "VIA_INDEX", "X", "Y"],
      connections: ["GITHUB"],
      dynamicSecrets: false,
    });
  });

  it("says dynamic when a secret's name is computed or env is indexed by a variable", () => {
    expect(scan(`const v = env.secrets[name];`).dynamicSecrets).toBe(true);
    expect(scan(`const v = env[kind][name];`).dynamicSecrets).toBe(true);
    expect(scan(`helper(env.secrets);`).dynamicSecrets).toBe(true);
  });

  it("finds env.db under any name the entry point gives env, its alias and destructuring", () => {
    expect(scan(`export default async function run(input, env) { await env.db.query("SELECT 1"); }`).usesDb).toBe(true);
    expect(scan(`export default async function run(input, platform) { await platform.db.exec("x"); }`).usesDb).toBe(
      true,
    );
    expect(scan(`export default async (input, e) => e.Pro_User_Binding.query("x");`).usesDb).toBe(true);
    expect(scan(`export default async function run(input, { db, kv }) { return db; }`).usesDb).toBe(true);
    expect(scan(`const { db } = env;`).usesDb).toBe(true);
    expect(scan(`const e = env; e.db.query("x");`).usesDb).toBe(true);
    expect(scan(`export async function scheduled(event, x) { await x.db.exec("x"); }`).usesDb).toBe(true);
    // Someone else's db property is not env.db.
    expect(
      scan(`export default async function run(input, env) { return this.db ?? client.db ?? env.kv.get("db"); }`).usesDb,
    ).toBe(false);
  });
});

describe("schedules", () => {
  it("reads the cron literals of the main file's schedule export", () => {
    expect(scan(`export const schedule = "*/5 * * * *";`)).toMatchObject({
      schedules: ["*/5 * * * *"],
      dynamicSchedule: false,
    });
    expect(scan(`export const schedule = ["0 * * * *", \`30 2 * * 1\`];`)).toMatchObject({
      schedules: ["0 * * * *", "30 2 * * 1"],
      dynamicSchedule: false,
    });
    expect(scan(`export const schedule = makeSchedule();`)).toMatchObject({ schedules: [], dynamicSchedule: true });
    expect(scan(`export default () => 1;`, { "lib.js": `export const schedule = "* * * * *";` })).toMatchObject({
      schedules: [],
      dynamicSchedule: false,
    });
  });
});

describe("escapes of fetch and of the global object", () => {
  it("counts every way of reaching fetch through the global object without a static call as dynamic", () => {
    const escapes = [
      `globalThis["fe" + suffix]("https://hidden.example.com/")`,
      `const g = globalThis; g.fetch("https://hidden.example.com/");`,
      `const { fetch: f } = globalThis; f("https://hidden.example.com/");`,
      `Reflect.get(globalThis, "fetch")("https://hidden.example.com/")`,
      `globalThis[key]("https://hidden.example.com/")`,
      `(0, globalThis.fetch)("https://hidden.example.com/")`,
      `const h = globalThis.fetch.bind(globalThis); h("https://hidden.example.com/");`,
      `const w = typeof window !== "undefined" ? window : self; w.fetch("https://hidden.example.com/");`,
      `Object.assign(globalThis, { fetch: spy });`,
      `globalThis.fetch = wrapped;`,
    ];
    for (const code of escapes) expect(hosts(code), code).toMatchObject({ hosts: [], dynamicFetch: true });
  });

  it("still reads static calls through the global object's names", () => {
    expect(hosts(`self.fetch("https://a.example.com/x")`).hosts).toEqual(["a.example.com"]);
    expect(hosts(`globalThis["fetch"]("https://b.example.com/x")`).hosts).toEqual(["b.example.com"]);
    expect(hosts(`globalThis["fe" + "tch"]("https://b2.example.com/x")`).hosts).toEqual(["b2.example.com"]);
    expect(hosts(`globalThis.self.fetch("https://c.example.com/x")`).hosts).toEqual(["c.example.com"]);
    expect(hosts(`const id = globalThis.crypto.randomUUID(); fetch?.("https://d.example.com/" + id)`)).toEqual({
      hosts: ["d.example.com"],
      dynamicFetch: false,
      dynamicTargets: [],
    });
  });
});

describe("code nobody here wrote", () => {
  it("does not trip over members named like Object.prototype's", () => {
    const code = `const a = x.constructor; const b = y.__proto__.secrets; const c = z.toString;
      const { constructor, hasOwnProperty } = env.secrets; env.connections.valueOf; env["constructor"];
      export const schedule = ["__proto__"];`;
    expect(scan(code)).toMatchObject({
      secrets: ["constructor", "hasOwnProperty"],
      connections: ["valueOf"],
      schedules: ["__proto__"],
    });
  });

  it("reads a bundle the way esbuild writes it (var for const, export { run as default })", () => {
    const bundle = `// b.ts\nvar B = "v1";\n// a.ts\nvar URLX = "https://api.x.com/";\nvar schedule = "*/5 * * * *";
async function run(input, platform) {\n  return fetch(URLX + B, { headers: { a: platform.secrets.K } }).then(() => platform.db);\n}
export {\n  run as default,\n  schedule\n};`;
    expect(scan(bundle)).toMatchObject({
      egress: { hosts: ["api.x.com"], dynamicFetch: false },
      secrets: ["K"],
      usesDb: true,
      schedules: ["*/5 * * * *"],
      dynamicSchedule: false,
      packages: [],
    });
    expect(scan(bundle.replace(`var URLX`, `URLX = "https://evil.example.com/"; var URLX`)).egress.dynamicFetch).toBe(
      true,
    );
  });

  it("reports each package's needs apart from the developer's own code", () => {
    const bundle = [
      `// node_modules/hono/dist/client.js`,
      `function client(url) { return fetch(url); }`,
      `// node_modules/.pnpm/@acme+sdk@1.0.0/node_modules/@acme/sdk/index.js`,
      `const sdk = () => fetch("https://api.acme.com/v1");`,
      `// src/index.ts`,
      `export default async function run(input, env) { await fetch("https://own.example.com/"); return client(input.url) && env.secrets.TOKEN; }`,
    ].join("\n");
    const found = scan(bundle);
    expect(found).toMatchObject({
      egress: {
        hosts: ["api.acme.com", "own.example.com"],
        dynamicFetch: true,
        dynamicTargets: [{ file: "index.js", target: "url", package: "hono" }],
      },
      secrets: ["TOKEN"],
    });
    expect(found.packages).toEqual([
      {
        name: "@acme/sdk",
        usesDb: false,
        secrets: [],
        connections: [],
        dynamicSecrets: false,
        hosts: ["api.acme.com"],
        dynamicFetch: false,
      },
      {
        name: "hono",
        usesDb: false,
        secrets: [],
        connections: [],
        dynamicSecrets: false,
        hosts: [],
        dynamicFetch: true,
      },
    ]);
  });

  it("counts a file it cannot parse as asking for everything, with a warning that says where", () => {
    const found = scan(`export default async function run() { return 1 }`, { "lib.js": "let x = ;" });
    expect(found).toMatchObject({
      dynamicSecrets: true,
      egress: { dynamicFetch: true, dynamicTargets: [{ file: "lib.js", target: "(file could not be analysed)" }] },
    });
    expect(found.warnings).toEqual([expect.stringMatching(/^lib\.js:1:9: could not be analysed \(Unexpected token\)/)]);
  });

  it("never throws, whatever the JavaScript", () => {
    fc.assert(
      fc.property(jsModule, (code) => {
        const found = scan(code);
        expect(typeof found.egress.dynamicFetch).toBe("boolean");
      }),
      { numRuns: 300 },
    );
  });
});
