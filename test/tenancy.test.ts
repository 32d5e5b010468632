// Attacks from a hostile pulse on another tenant's KV and on the platform's bindings. Every attack must fail,
// and the victim's data must be unchanged afterwards.

import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { deployFixture, type DeployedPulse } from "./support/pulses.ts";
import { kvCall, kvOk } from "./support/kv-client.ts";
import { acceptedConnections } from "./support/loopback-client.ts";
import { captureJsonLines } from "./support/console-lines.ts";

let victim: DeployedPulse;
let attacker: DeployedPulse;
const SECRET = "victim's private value";

beforeAll(async () => {
  // Both run the very same code (same version id): isolation must not depend on different code.
  victim = await deployFixture("kv", { tenant: "victim-co" });
  attacker = await deployFixture("kv", { tenant: "attacker-co" });
  expect(attacker.versionId).toBe(victim.versionId);
  await kvOk(victim, "put", "secret", SECRET);
  await kvOk(victim, "put", "a1", "1");
  await kvOk(victim, "put", "a2", "2");
  await kvOk(victim, "put", "a3", "3");
});

async function victimUnchanged() {
  expect(await kvOk(victim, "get", "secret")).toBe(SECRET);
  expect((await kvOk(victim, "list")).keys.map((k: any) => k.name)).toEqual(["a1", "a2", "a3", "secret"]);
}

describe("cross-pulse KV attacks", () => {
  it("two pulses with identical code get their own env (the isolate cache is per pulse)", async () => {
    expect(await kvOk(attacker, "get", "secret")).toBeNull();
    expect((await kvOk(attacker, "list")).keys).toEqual([]);
  });

  it("cannot reach another pulse's keys with path, separator or prefix tricks", async () => {
    const v = victim.pulseId;
    const tricks = [
      `../${v}:secret`,
      `../../vibe:${v}:secret`,
      `:${v}:secret`,
      `vibe:${v}:secret`,
      `${v}:secret`,
      `/../vibe:${v}:secret`,
      `%2e%2e/vibe:${v}:secret`,
      `\u0000vibe:${v}:secret`,
      `secret\u0000`,
      "secret ",
    ];
    for (const key of tricks) {
      const read = await kvCall(attacker, "get", key);
      expect(read.ok && read.result === SECRET, key).toBe(false);
      await kvCall(attacker, "put", key, "overwritten");
      await kvCall(attacker, "delete", key);
    }
    await victimUnchanged();
  });

  it("cannot list or delete another pulse's keys with list prefixes", async () => {
    for (const prefix of ["", "vibe:", `vibe:${victim.pulseId}:`, "../", ":"]) {
      const listed = await kvOk(attacker, "list", { prefix });
      for (const key of listed.keys) {
        expect(key.name).not.toContain(victim.pulseId);
        expect(["secret", "a1", "a2", "a3"]).not.toContain(key.name);
      }
    }
    await victimUnchanged();
  });

  it("cannot use a cursor from another pulse's list", async () => {
    const page = await kvOk(victim, "list", { limit: 1 });
    expect(page.list_complete).toBe(false);
    const stolen = await kvCall(attacker, "list", { limit: 10, cursor: page.cursor });
    expect(stolen.ok).toBe(false);
    if (!stolen.ok) expect(stolen.error.message).toMatch(/cursor/);
    // A hand-made cursor naming the victim fails the same way.
    const forged = btoa(JSON.stringify({ p: victim.pulseId, c: page.cursor })).replace(/=+$/, "");
    expect((await kvCall(attacker, "list", { cursor: forged })).ok).toBe(false);
  });

  it("cannot overflow the key limit to land in another prefix", async () => {
    const longKey = `x`.repeat(600) + `vibe:${victim.pulseId}:secret`;
    expect((await kvCall(attacker, "put", longKey, "v")).ok).toBe(false);
    await victimUnchanged();
  });

  it("cannot call anything on env.kv but the KV methods", async () => {
    // What ScopedKV and an RPC stub have besides the KV methods: none of it is on the pulse's env.kv.
    for (const op of ["fetch", "connect", "#storagePrefix", "env", "ctx", "dup", "getEntrypoint", "__proto__"]) {
      const outcome = await kvCall(attacker, op, "secret");
      expect(outcome, op).toEqual({
        ok: false,
        error: { name: "TypeError", message: "env.kv[input.op] is not a function" },
      });
    }
    // env.kv is a plain frozen object: its constructor is Object's, which wraps the argument and reaches nothing.
    expect(await kvCall(attacker, "constructor", "secret")).toEqual({ ok: true, result: "secret" });
  });
});

describe("escape from the shim", () => {
  it("sees exactly the documented env, frozen, and no platform binding anywhere", async () => {
    const res = await (await deployFixture("escape")).call();
    const found = await res.json<any>();
    expect(found.envKeys).toEqual(["VIBE_ID", "connections", "crypto", "kv", "secrets"]);
    expect(found.envMutable).toBe(false);
    expect(found.globalThisSuspicious).toEqual([]);
    // The runtime module is reachable by a computed import; its env is the pulse's own host env, no platform binding.
    expect(found.dynamicImportError).toBeUndefined();
    expect(found.runtimeEnvKeys).toEqual(found.envKeys);
    expect(found.runtimeEnvHasRawKv).toBe(false);
  });

  it("cannot import the runtime's modules statically: the build refuses", () => {
    const built = env.TEST_PULSES["static-import"]!;
    expect("errors" in built).toBe(true);
    if ("errors" in built) expect(built.errors[0]!.text).toMatch(/"cloudflare:workers" is not available to pulses/);
  });

  it("cannot open raw sockets, even to a port that listens", async () => {
    // A real HTTP server on loopback (test/support/loopback-server.ts): a socket that got through would connect.
    const pulse = await deployFixture("sockets");
    const logged = captureJsonLines();
    try {
      const before = await acceptedConnections(); // the positive control: this isolate reaches the port
      const body = await (await pulse.call(`/?port=${env.LOOPBACK_TEST_PORT}`)).json<any>();
      // workerd words every failed connect() alike; the refusal itself is the gate's, logged under its rule.
      expect(body).toEqual({ connected: false, error: "Network connection lost." });
      expect(logged.lines()).toContainEqual({
        event: "egress",
        pulseId: pulse.pulseId,
        decision: "egress_denied",
        rule: "raw-socket",
      });
      expect(await acceptedConnections()).toBe(before + 1); // only the control's own read: the pulse's socket never arrived
    } finally {
      logged.restore();
    }
  });
});

describe("egress", () => {
  it("cannot reach the platform, other pulses or internal addresses with fetch()", async () => {
    const pulse = await deployFixture("fetcher");
    for (const url of [
      "http://127.0.0.1:8787/healthz",
      "http://169.254.169.254/latest/meta-data/",
      `http://${victim.name}.pulses.localhost/`,
      "http://[::ffff:127.0.0.1]:8787/",
      "http://[::127.0.0.1]:8787/",
      "http://[::7f00:1]:8787/",
    ]) {
      const body = await (await pulse.call(`/?url=${encodeURIComponent(url)}`)).json<any>();
      expect(body.status, url).toBe(403);
      expect(JSON.parse(body.body).error.code).toBe("egress_denied");
    }
  });
});
