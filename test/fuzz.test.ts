// Bad input, generated: random JSON, wrong types, unicode and oversized names and bodies against every
// operation of the control API (read from its OpenAPI document), and random hosts, paths, methods, headers
// and bodies against the dispatcher. Every answer must be clean (a code, no stack, no internal_error) and a
// refused request must leave the stored state exactly as it was. Runs are bounded for CI time.

import { exports } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { adminToken, api, greeter, newTenant, type TestTenant } from "./support/control.ts";
import { controlOperations, expectCleanAnswer, fillPath, storedCounts, type ApiOperation } from "./support/fuzz.ts";
import { jsModule } from "./support/js-modules.ts";
import { BASE, deployFixture, type DeployedPulse } from "./support/pulses.ts";

const CONTROL_RUNS = 150;
const DISPATCH_RUNS = 200;
const DEPLOY_RUNS = 40;

let ops: ApiOperation[];
let dev: TestTenant;
let admin: string;
let pulseName: string;
let echo: DeployedPulse;

beforeAll(async () => {
  ops = await controlOperations();
  dev = await newTenant();
  admin = await adminToken();
  pulseName = `fuzz-${Date.now().toString(36)}`;
  expect((await api("POST", "/v1/pulses", { token: dev.token, body: { name: pulseName } })).status).toBe(201);
  expect(
    (
      await api("POST", `/v1/pulses/${pulseName}/versions`, {
        token: dev.token,
        body: { ...greeter("fuzz"), deploy: true },
      })
    ).status,
  ).toBe(201);
  echo = await deployFixture("echo");
});

// Strings that have broken parsers before: unicode (combining, RTL, astral, NUL), separators, traversal.
const nasty = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "..",
    "../../etc/passwd",
    "a:b",
    "a%2Fb",
    "\u0000",
    "ｆｕｌｌ",
    "e\u0301",
    "\u202eevil",
    "😀".repeat(30),
    "x".repeat(600),
    "__proto__",
    "constructor",
    "admin",
    "null",
  ),
);
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(nasty, fc.jsonValue(), { maxKeys: 3 }),
);
const field = fc.oneof(nasty, wrongType);
/** Objects shaped like the API's bodies with every field possibly wrong, or any JSON at all. */
const jsonBody = fc.oneof(
  fc.record(
    {
      name: field,
      tenant: field,
      plan: field,
      files: fc.oneof(
        field,
        fc.dictionary(nasty, fc.oneof(nasty, fc.constant("export default () => {"), wrongType), { maxKeys: 3 }),
      ),
      main: field,
      deploy: field,
      versionId: field,
      value: field,
      accessToken: field,
      hosts: fc.oneof(field, fc.array(nasty, { maxLength: 3 })),
      rules: fc.oneof(
        field,
        fc.array(fc.dictionary(fc.constantFrom("action", "host", "ports", "schemes"), field), { maxLength: 3 }),
      ),
      limits: fc.oneof(
        field,
        fc.dictionary(fc.constantFrom("requestsPerMinute", "wallMs", "cpuMs", "sql", "maxPulses"), field),
      ),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);
const rawBody = fc.oneof(
  jsonBody.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 60 }), // mostly not JSON
  fc.constantFrom(
    "{",
    "[]",
    '{"name":',
    "\uFEFF{}",
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
  ),
  fc
    .integer({ min: 1, max: 3 })
    .map((mib) => JSON.stringify({ name: "big", files: { "index.ts": "x".repeat(mib * 1024 * 1024 + 1) } })),
);

describe("control API under random input", () => {
  it("answers every operation cleanly and stores nothing for a refused request", async () => {
    expect(ops.length).toBeGreaterThan(20);
    let before = await storedCounts();
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ops),
        fc.constantFrom("admin", "dev", "none", "garbage"),
        fc.dictionary(fc.constantFrom("name", "plan", "tenant", "secret"), fc.oneof(fc.constant("real"), nasty)),
        rawBody,
        async (op, who, paramChoice, body) => {
          const values: Record<string, string> = {};
          for (const p of op.params) {
            const chosen = paramChoice[p];
            values[p] =
              chosen === undefined || chosen === "real"
                ? (({ name: pulseName, plan: "pro", tenant: dev.name, secret: "API_KEY" } as Record<string, string>)[
                    p
                  ] ?? "x")
                : chosen;
          }
          const token =
            who === "admin" ? admin : who === "dev" ? dev.token : who === "garbage" ? "eyJhbGciOiJub25lIn0.e30." : null;
          const path = fillPath(op.path, values);
          const res = await api(op.method, path, {
            token,
            ...(op.method === "GET" || op.method === "DELETE" ? {} : { rawBody: body }),
          });
          const text = typeof res.body === "string" ? res.body : JSON.stringify(res.body);
          expectCleanAnswer(res.status, text, `${op.method} ${path} as ${who}`);
          const after = await storedCounts();
          if (res.status >= 400) {
            refused += 1;
            expect(after, `${op.method} ${path} was refused with ${res.status} but changed what is stored`).toEqual(
              before,
            );
          }
          before = after;
        },
      ),
      { numRuns: CONTROL_RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 1e9) },
    );
    // The generators are meant to be hostile: most requests must be refused, or the fuzz tests nothing.
    expect(refused).toBeGreaterThan(CONTROL_RUNS / 2);
  }, 60_000);
});

describe("deploy path under generated sources", () => {
  it("answers every upload with a version or a 4xx naming the problem, never a 5xx", async () => {
    // Sources a scan or a bundler has tripped on: generated modules, TypeScript, and shapes real packages use.
    const source = fc.oneof(
      jsModule.map((code) => ({ "index.js": code })),
      jsModule.map((code) => ({ "index.ts": `type T = { a: string };\n${code}` })),
      fc.tuple(jsModule, jsModule).map(([a, b]) => ({
        "index.js": `import * as lib from "./lib.js";\nexport default async (i, env) => [lib, env.secrets];`,
        "lib.js": `${a}\n${b}`,
      })),
      fc.constantFrom(
        { "index.js": `export default async (i, env) => { const s = env.secrets; return s.constructor === Object; };` },
        {
          "index.js": `// node_modules/zod/index.js\nvar x = {}.constructor;\n// index.js\nexport default () => x.name;`,
        },
        { "index.js": `export default async () => 1;\nexport const schedule = [...["* * * * *"]];` },
        { "index.js": `export default async () => 1;\nlet schedule = "x"; schedule = "y"; export { schedule };` },
      ),
    );
    // A tenant and pulse of its own: the control API's fuzz may delete the shared pulse or fill the plan's quota.
    const owner = await newTenant();
    const target = `fuzz-deploy-${Date.now().toString(36)}`;
    expect((await api("POST", "/v1/pulses", { token: owner.token, body: { name: target } })).status).toBe(201);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(source, async (files) => {
        const main = Object.keys(files)[0]!;
        const res = await api("POST", `/v1/pulses/${target}/versions`, { token: owner.token, body: { main, files } });
        // Positions in the uploaded files are what a build error should give; any other position is a leak.
        const ownPositions = new RegExp(
          `(${Object.keys(files)
            .map((f) => f.replace(".", "\\."))
            .join("|")}):\\d+:\\d+`,
          "g",
        );
        const text = JSON.stringify(res.body).replace(ownPositions, "$1");
        expectCleanAnswer(res.status, text, `upload of ${JSON.stringify(files).slice(0, 200)}`);
        if (res.status === 201) {
          accepted += 1;
          expect(res.body.version.manifest.format, "an accepted version has a manifest").toBe(2);
        } else
          expect(res.body.error.code, JSON.stringify(res.body)).toMatch(/^(build_failed|source_invalid|rate_limited)$/);
      }),
      { numRuns: DEPLOY_RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 1e9) },
    );
    expect(accepted, "no generated source was ever accepted: the generator is broken").toBeGreaterThan(0);
  }, 120_000);
});

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "PROPFIND", "X-CUSTOM"];
const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
const headerValue = fc.oneof(
  fc.stringMatching(/^[\x20-\x7e]{0,80}$/),
  fc.constantFrom(
    "application/json",
    "application/x-www-form-urlencoded",
    "text/plain",
    "application/vnd+json; charset=x",
  ),
);

describe("dispatcher under random input", () => {
  it("answers random hosts, paths, methods, headers and bodies cleanly and stores nothing", async () => {
    const host = fc.oneof(
      fc.constant(`${echo.name}.${BASE}`),
      fc.constant(`${echo.name.toUpperCase()}.${BASE}.:8787`),
      fc.domain(),
      nasty.map((label) => `${label}.${BASE}`),
      fc.constantFrom(
        BASE,
        `a.b.${BASE}`,
        `xn--80ak6aa92e.${BASE}`,
        `${"a".repeat(70)}.${BASE}`,
        "[::1]",
        "127.0.0.1:1",
        "",
      ),
    );
    const path = fc.oneof(
      fc.webPath(),
      nasty.map((s) => `/${encodeURIComponent(s)}`),
      fc.constantFrom("/?__proto__[x]=1", "/%00", "//x", "/?a=1&a=2&a=3", "/v1/pulses"),
    );
    const body = fc.oneof(fc.constant(undefined), rawBody, fc.uint8Array({ maxLength: 256 }));
    const before = await storedCounts();
    let served = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        host,
        path,
        fc.dictionary(headerName, headerValue, { maxKeys: 5 }),
        body,
        async (method, h, p, headers, b) => {
          let request: Request;
          try {
            // The URL's own host stays fixed: the dispatcher routes on the Host header, which is the fuzzed one.
            const init = {
              method,
              headers: { ...headers, host: h },
              ...(b !== undefined && method !== "GET" && method !== "HEAD" ? { body: b } : {}),
            };
            request = new Request(`http://fuzz.invalid${p.startsWith("/") ? p : `/${p}`}`, init);
          } catch {
            return; // what a client could not even send (invalid Host, method or path) is skipped
          }
          const res = await (exports as unknown as { default: Fetcher }).default.fetch(request);
          const text = await res.text();
          // HEAD answers carry no body by definition; their status must still not be a bare 5xx.
          if (method === "HEAD") expect(res.status, `HEAD ${h}${p}`).toBeLessThan(500);
          else expectCleanAnswer(res.status, text, `${method} ${h}${p}`);
          if (res.status < 400 && h.toLowerCase().startsWith(echo.name)) served += 1;
        },
      ),
      { numRuns: DISPATCH_RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 1e9) },
    );
    // The dispatcher writes nothing for end users but usage and logs (not compared): stored state is unchanged.
    expect(await storedCounts()).toEqual(before);
    expect(served, "the real pulse was never served: the host generator is broken").toBeGreaterThan(0);
  }, 60_000);
});
