// Runtime cells from a local attacker's side: the cells' RPC sockets and the dispatcher's CellServices socket are
// Unix sockets that any process of the platform's user can connect to (test/node/cell-channels.test.ts: nobody
// else can); without the secret generated at start they refuse to run a pulse or to touch a pulse's data. And a
// pulse cannot reach the platform's own ports or a cell's inspector with fetch().

import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startLocalPlatform, type LocalPlatform } from "../../supervisor/local-platform.ts";
import { buildPulse } from "../../supervisor/pulse-build.ts";
import { seedPulse } from "../../supervisor/seed.ts";
import { deploySeed } from "../../supervisor/seed-deploy.ts";
import { get } from "./support/platform-process.ts";
import { CELL_SECRET_HEADER } from "../../dispatcher/cell/protocol.ts";
import { hmacSha256, toHex } from "../support/hmac.ts";
import { socketRequest } from "../../supervisor/unix-http.ts";

let platform: LocalPlatform;
let victimId: string;
/** The runtime's log lines, with the cell that wrote each (undefined: the dispatcher's process). */
const lines: { message: string; cell: number | undefined }[] = [];

beforeAll(async () => {
  platform = await startLocalPlatform({
    port: 0,
    cells: 1,
    onLog: (message, _level, cell) => void lines.push({ message, cell }),
  });
  const victim = await seedPulse(platform.db, platform.bundles, {
    tenant: "victim",
    pulse: "victim",
    code: await buildPulse({
      files: {
        "index.js": `export default async function run(_i, env) { await env.kv.put("secret", "victim data"); return { ok: true }; }`,
      },
      main: "index.js",
    }),
  });
  victimId = victim.pulseId;
  expect((await get(Number(platform.url.port), "victim.pulses.localhost")).status).toBe(200);
}, 180_000);

afterAll(async () => {
  await platform?.dispose();
});

/** A Worker on workerd bound to both sockets, as a local attacker would set one up. */
const ATTACKER = `
const attempt = (call) => call().then((value) => ({ value }), (error) => ({ error: String(error.message ?? error) }));
export default {
  async fetch(request, env) {
    const { victimId, secret } = await request.json();
    const target = { pulseId: victimId, pulseName: "victim", tenantId: "t", versionId: "v", bundleKey: "b", plan: "free",
      limits: { kvOpsPerRequest: 50, kvValueBytes: 1024, subrequestsPerRequest: 5, logRetentionHours: 1, cpuMs: 50, wallMs: 1000, sql: false }, secretNames: [] };
    const kvProps = { pulseId: victimId, tenantId: "t", opsPerRequest: 50, maxValueBytes: 1024 };
    return Response.json({
      invoke: await attempt(() => env.CELL.invoke(secret, target, new Request("http://victim/"))),
      kvGet: await attempt(() => env.FRONT.kv(secret, kvProps, "get", ["secret"])),
      load: await attempt(() => env.FRONT.load(secret, target)),
      drain: await attempt(() => env.FRONT.drain(secret, 0, true)),
      crypto: await attempt(() => env.FRONT.crypto(secret, { pulseId: victimId }, "hmac", ["pulseref_x", "d", { hash: "SHA-256", encoding: "hex" }])),
    });
  },
};`;

describe("runtime cells, from a local attacker's side", () => {
  it("refuse every call without the platform's secret, in both directions", async () => {
    const attacker = new Miniflare(
      convertV4MiniflareOptions({
        host: "127.0.0.1",
        port: 0,
        workers: [
          {
            name: "attacker",
            modules: true,
            compatibilityDate: "2026-08-01",
            script: ATTACKER,
            serviceBindings: {
              CELL: { external: { address: platform.cells[0]!.rpcAddress, http: {} } },
              FRONT: { external: { address: platform.cellServicesAddress!, http: {} } },
            },
          },
        ],
      } as unknown as Parameters<typeof convertV4MiniflareOptions>[0]),
    );
    try {
      const url = await attacker.ready;
      for (const secret of ["", "0".repeat(64), "a-guess"]) {
        const answers = (await (
          await fetch(url, { method: "POST", body: JSON.stringify({ victimId, secret }) })
        ).json()) as Record<string, { value?: unknown; error?: string }>;
        expect(Object.keys(answers)).toEqual(["invoke", "kvGet", "load", "drain", "crypto"]);
        for (const [call, answer] of Object.entries(answers)) {
          expect(answer.value, `${call} with secret "${secret}"`).toBeUndefined();
          expect(answer.error, `${call} with secret "${secret}"`).toContain("cell_forbidden");
        }
        // The cell's HTTP socket relays a drain only with the secret.
        for (const method of ["PUT", "DELETE"]) {
          const headers = secret ? { [CELL_SECRET_HEADER]: secret } : undefined;
          const drain = await socketRequest(platform.cells[0]!.httpSocket, method, "/drain", headers ?? {});
          expect(drain.status, `${method} /drain with secret "${secret}"`).toBe(403);
          expect((JSON.parse(drain.body) as { error: { code: string } }).error.code).toBe("cell_forbidden");
        }
      }
    } finally {
      await attacker.dispose();
    }
  });

  it("keep a pulse's fetch() away from the platform's own port and the inspectors' address", async () => {
    // (A fetch() cannot name a Unix socket; the cells' inspectors listen on this address in their namespaces.)
    const targets = [platform.url.href, "http://127.0.0.1:9229/json/list"];
    const source = `export default async function run() {
      const out = {};
      for (const url of ${JSON.stringify(targets)}) {
        const response = await fetch(url).catch((e) => null);
        out[url] = response ? response.status + " " + (await response.text()).slice(0, 200) : "threw";
      }
      return out;
    }`;
    await seedPulse(platform.db, platform.bundles, {
      tenant: "prober",
      pulse: "prober",
      code: await buildPulse({ files: { "index.js": source }, main: "index.js" }),
    });
    const answer = await get(Number(platform.url.port), "prober.pulses.localhost");
    expect(answer.status).toBe(200);
    const results = JSON.parse(answer.body) as Record<string, string>;
    expect(Object.keys(results).sort()).toEqual([...targets].sort());
    for (const [url, result] of Object.entries(results)) {
      expect(result, url).toMatch(/^403 .*egress_denied/);
    }
  });

  it("forward env.crypto to the front with the props the cell bound: the pulse signs with its own secret only", async () => {
    const source = `export default async function run(input, env) {
      const options = { hash: "SHA-256", encoding: "hex" };
      const mine = await env.crypto.hmac(env.secrets.HOOK, "data", options);
      const other = await env.crypto.hmac(input.ref ?? "pulseref_" + "a".repeat(32), "data", options).catch((e) => e.message);
      return { mine, other, ref: env.secrets.HOOK };
    }`;
    const signer = await deploySeed(platform, {
      tenant: "signer",
      pulse: "cell-signer",
      files: { "index.js": source },
      main: "index.js",
    });
    const value = "whsec_cell_value_123456";
    const put = await fetch(new URL("/v1/pulses/cell-signer/secrets/HOOK", platform.url), {
      method: "PUT",
      headers: { authorization: `Bearer ${signer.token}`, "content-type": "application/json" },
      body: JSON.stringify({ value, hosts: [], allowSigning: true }),
    });
    expect(put.status).toBe(200);
    const expected = toHex(await hmacSha256(value, "data"));
    const answer = await get(Number(platform.url.port), "cell-signer.pulses.localhost");
    expect(answer.status, answer.body).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({
      mine: expected,
      other: expect.stringMatching(/not a secret of this pulse/),
    });
    // The dispatcher says where it sent the pulse (what the watchdog reads to watch the isolate's heap).
    const traffic = await fetch(new URL("/v1/admin/runtime/cells?since=0", platform.url), {
      headers: { authorization: `Bearer ${await platform.mint({ role: "admin", sub: "test" })}` },
    });
    expect(traffic.status).toBe(200);
    const { isolates } = (await traffic.json()) as { isolates: { cell: number; versionId: string }[] };
    // (An isolate per set of secrets: the version ran before and after its secret was set.)
    expect([...new Set(isolates.filter((i) => i.versionId === signer.versionId).map((i) => i.cell))]).toEqual([0]);
  });

  it("refuse a pulse's fetches past its plan's subrequest limit in the cell, with the dispatcher's answer", async () => {
    // The free plan allows 5 subrequests a request. Each goes to a host the policy denies, so every one the
    // dispatcher sees is logged there; the 6th onwards must be answered by the cell and logged by it.
    const source = `export default async function run() {
      const answers = [];
      for (let i = 0; i < 12; i++) {
        const r = await fetch("http://10.0.0.1/", { headers: { "x-try": String(i) } });
        answers.push(r.status + " " + (await r.json()).error.code);
      }
      return answers;
    }`;
    const { pulseId } = await seedPulse(platform.db, platform.bundles, {
      tenant: "fetcher",
      pulse: "fetch-loop",
      code: await buildPulse({ files: { "index.js": source }, main: "index.js" }),
    });
    const answer = await get(Number(platform.url.port), "fetch-loop.pulses.localhost");
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual([
      ...Array(5).fill("403 egress_denied"),
      ...Array(7).fill("429 subrequest_limit_exceeded"),
    ]);
    // Egress lines are written in batches (platform/operator-log.ts), a fraction of a second after the request.
    const egressLines = () =>
      lines
        .flatMap((l) => l.message.split("\n").map((message) => ({ cell: l.cell, message })))
        .filter((l) => l.message.startsWith('{"event":"egress"'))
        .map((l) => ({
          cell: l.cell,
          ...(JSON.parse(l.message) as { pulseId: string; requestId: string; decision: string; subrequest: number }),
        }))
        .filter((e) => e.pulseId === pulseId);
    await vi.waitFor(() => expect(egressLines()).toHaveLength(12), { timeout: 5_000 });
    const egress = egressLines();
    expect(egress.filter((e) => e.cell === undefined).map((e) => e.decision)).toEqual(Array(5).fill("egress_denied"));
    expect(egress.filter((e) => e.cell === 0).map((e) => [e.decision, e.subrequest])).toEqual(
      Array.from({ length: 7 }, (_, i) => ["subrequest_limit_exceeded", 6 + i]),
    );
  });
});
