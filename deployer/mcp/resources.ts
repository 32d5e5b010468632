// What an agent reads before writing a pulse: the run(input, env, ctx) contract (with the type declarations
// user code is checked against) and the env reference with its limits.

import CONTRACT_SOURCE from "../generated/contract-source.js";

export interface TextResource {
  name: string;
  uri: string;
  title: string;
  description: string;
  text: string;
}

const CONTRACT = `# The pulse contract

A pulse is one module whose default export is

    export default async function run(input, env, ctx) { ... }

Deploy it with deploy_version (files + main). It is served at https://{pulse}.{platform}/ to end users, and
invoke_pulse calls it the same way.

## input
- POST/PUT/PATCH with a JSON content type: the parsed JSON body (invoke_pulse sends "input" this way).
- Otherwise: the query parameters as a plain object (?a=1&b=2&b=3 -> { a: "1", b: ["2", "3"] }).
- A body that claims JSON but is not: 400 invalid_json, before user code runs.

## ctx
- ctx.request: the original Request (its body is still readable)
- ctx.requestId: the id the caller gets in x-pulse-request-id; every log line of the request carries it
- ctx.waitUntil(promise): keep working after the response

## What comes back
- a plain value -> 200 JSON
- a Response -> passed through as it is
- undefined -> 204
- a thrown error -> 500 {"error":{"code":"pulse_error","message":"...","requestId":"..."}} with a generic message.
  The error and its stack are in the pulse's log under that request id: invoke_pulse returns them with the
  answer, get_logs finds them later.
- a value with no JSON form (cyclic, BigInt, function) -> 500 pulse_error

## Building
TypeScript and JavaScript (.ts .tsx .mts .js .mjs .jsx .json), at most 100 files and 512 KiB of source; imports
resolve only among the uploaded files (bundle npm packages before uploading). A build error comes back from
deploy_version as diagnostics with file, line and column; nothing changes on the platform.

## Type declarations (runtime-shim/contract.ts)

\`\`\`ts
${CONTRACT_SOURCE}\`\`\`
`;

const ENV = `# env: what a pulse can use

| member | what | limits |
|---|---|---|
| env.kv | Workers KV API confined to the pulse: get(key, type?) with "text" / "json" / "arrayBuffer" / "stream", getWithMetadata, put(key, value, { expirationTtl, expiration, metadata }), delete, list({ prefix, limit, cursor }) | keys <= ~485 UTF-8 bytes, "" "." ".." refused, values <= the plan's kvValueBytes (<= 25 MiB), metadata <= 1 KiB JSON, expirationTtl >= 60 s, list <= 1000 keys a page, the plan's kvOpsPerRequest |
| env.db (alias env.Pro_User_Binding) | the pulse's own SQLite database, on plans with SQL (undefined otherwise): query(sql, params) -> rows, batch([{ sql, params }]) in one transaction, exec(script) | 100 KB per statement, 100 parameters, 100 statements per batch |
| env.secrets.NAME, env.connections.NAME | opaque references (not the values): put them in a header (or the URL/body where the secret allows) of a fetch() and the platform substitutes the value, only for the secret's hosts. Set them with set_secret | values >= 8 characters |
| env.VIBE_ID | the pulse's id, stable for its lifetime | |
| fetch() | goes through the platform's egress policy: internal addresses are always refused; plan, tenant and pulse rules apply | the plan's subrequestsPerRequest, bodies <= 10 MiB, 10 redirects |

Violations of KV rules throw a TypeError or RangeError saying what to change. Raw sockets and cloudflare:*
imports are not available. console.log/info/warn/error/debug lines go to the pulse's log (get_logs), each with the
request id.
`;

export const RESOURCES: TextResource[] = [
  {
    name: "contract",
    uri: "pulse://docs/contract",
    title: "The run(input, env, ctx) contract",
    description: "How a pulse is called, what it returns, how it is built, and its type declarations",
    text: CONTRACT,
  },
  {
    name: "env",
    uri: "pulse://docs/env",
    title: "The env reference",
    description: "env.kv, env.db, env.secrets, fetch(): what each does and its limits",
    text: ENV,
  },
];
