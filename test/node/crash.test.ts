// Crash safety of `npm start`: the whole platform (Node process and workerd) is killed with SIGKILL while a
// deploy, a secret update and a stream of KV writes are in flight, then started again on the same state.
// After the restart: a complete version serves (the new one if its deploy was acknowledged, else the old
// one), every acknowledged KV write reads back, the secret row is whole, and every persisted SQLite file
// passes PRAGMA integrity_check.

import { readdir, readFile, rm, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { controlApi, freePort, get, start, stop } from "./support/platform-process.ts";

const KV_PULSE = {
  files: {
    "index.ts": `export default async function run(input: { k?: string; v?: string; q?: string; tag?: string }, env: any) {
  if (input.k) { await env.kv.put(input.k, input.v ?? ""); return { ok: true }; }
  if (input.q) return { value: await env.kv.get(input.q) };
  return { tag: input.tag ?? "TAG" };
}
`,
  },
  main: "index.ts",
  deploy: true,
};
const version = (tag: string) => ({
  ...KV_PULSE,
  files: { "index.ts": KV_PULSE.files["index.ts"].replace('"TAG"', JSON.stringify(tag)) },
});

async function sqliteFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".sqlite")) found.push(join(entry.parentPath, entry.name));
  }
  return found;
}

/**
 * The delay before the first kill is random, so runs cover different moments of the deploy; it comes from a seed
 * printed with the result, and PULSE_CRASH_SEED=<seed> repeats a run's delays.
 */
const SEED = Number(process.env.PULSE_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** How long the first ten KV writes may take before the kill (a busy 2-core machine). */
const KV_WRITES_WAIT_MS = 30_000;

function killAll(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL"); // the platform's process group: Node and workerd, no chance to flush anything
  } catch {
    // already gone
  }
}

describe("SIGKILL in the middle of writes", () => {
  let stateDir: string | undefined;
  afterAll(async () => {
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it("restarts with the previous or the acknowledged version live, no acknowledged write lost, databases intact", async () => {
    if (!Number.isInteger(SEED) || SEED < 0) throw new Error(`PULSE_CRASH_SEED must be a whole number, got ${SEED}`);
    const random = seededRandom(SEED);
    console.log(`crash delays seeded with ${SEED} (PULSE_CRASH_SEED=${SEED} repeats them)`);
    stateDir = await mkdtemp(join(tmpdir(), "pulse-crash-"));
    const port = await freePort();
    let child = await start(port, stateDir);
    const tokens = JSON.parse(await readFile(join(stateDir, "tokens.json"), "utf8")) as { demo: string };
    const api = (method: string, path: string, body?: unknown) => controlApi(port, tokens.demo, method, path, body);
    expect((await api("POST", "/v1/pulses", { name: "crashy" })).status).toBe(201);
    expect((await api("POST", "/v1/pulses/crashy/versions", version("v1"))).status).toBe(201);
    expect(
      (await api("PUT", "/v1/pulses/crashy/secrets/API_KEY", { value: "first-secret-value", hosts: ["upstream.test"] }))
        .status,
    ).toBe(200);
    const host = "crashy.pulses.localhost";
    expect(JSON.parse((await get(port, host)).body)).toEqual({ tag: "v1" });

    // Two crashes: one while the deploy is still building, one right after it was acknowledged.
    const rounds = [
      { tag: "v2", killAfterDeploy: false },
      { tag: "v3", killAfterDeploy: true },
    ];
    let live = "v1";
    for (const round of rounds) {
      // In flight together: KV writes one after another, then a deploy and a secret update.
      const acked = { deploy: false, secret: false, kv: [] as string[] };
      let killed = false;
      const writes = (async () => {
        for (let i = 0; !killed; i++) {
          const key = `${round.tag}-${i}`;
          try {
            const res = await get(port, host, `/?k=${key}&v=value-${key}`, 5_000);
            if (res.status === 200) acked.kv.push(key);
          } catch {
            return; // the connection died with the platform
          }
        }
      })();
      const writing = Date.now() + KV_WRITES_WAIT_MS;
      while (acked.kv.length < 10) {
        if (Date.now() > writing) throw new Error(`only ${acked.kv.length} KV writes acknowledged before the kill`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const deploy = api("POST", "/v1/pulses/crashy/versions", version(round.tag)).then(
        (r) => (acked.deploy = r.status === 201),
        () => {},
      );
      const secret = api("PUT", "/v1/pulses/crashy/secrets/API_KEY", {
        value: `secret-value-${round.tag}`,
        hosts: ["upstream.test"],
      }).then(
        (r) => (acked.secret = r.status === 200),
        () => {},
      );
      if (round.killAfterDeploy) await deploy;
      else {
        const delayMs = 40 + Math.floor(random() * 60);
        console.log(`crash ${round.tag}: kill ${delayMs} ms after the deploy started (seed ${SEED})`);
        await new Promise((r) => setTimeout(r, delayMs));
      }
      killed = true;
      killAll(child.pid!);
      await Promise.all([deploy, secret, writes]);
      child.removeAllListeners("exit");

      child = await start(port, stateDir);
      // A whole version serves: the new one if its deploy was acknowledged, otherwise the old or the new one.
      const served = await get(port, host);
      expect(served.status, served.body).toBe(200);
      const tag = (JSON.parse(served.body) as { tag: string }).tag;
      expect(acked.deploy ? [round.tag] : [live, round.tag]).toContain(tag);
      live = tag;
      const versions = (await api("GET", "/v1/pulses/crashy/versions")).body.versions as {
        id: string;
        active: boolean;
      }[];
      expect(versions.filter((v) => v.active)).toHaveLength(1);

      for (const key of acked.kv) {
        const res = await get(port, host, `/?q=${key}`);
        expect(JSON.parse(res.body), `acknowledged write ${key}`).toEqual({ value: `value-${key}` });
      }
      const secrets = (await api("GET", "/v1/pulses/crashy/secrets")).body.secrets as { name: string }[];
      expect(secrets.map((s) => s.name)).toEqual(["API_KEY"]);
      console.log(
        `crash ${round.tag}: deploy acknowledged=${acked.deploy}, secret acknowledged=${acked.secret}, KV writes acknowledged=${acked.kv.length}, served after restart=${tag}`,
      );
    }
    try {
      // The platform still takes writes after the crashes.
      expect((await api("POST", "/v1/pulses/crashy/versions", version("v4"))).status).toBe(201);
      expect(JSON.parse((await get(port, host)).body)).toEqual({ tag: "v4" });
    } finally {
      await stop(child);
    }

    const files = await sqliteFiles(stateDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const db = new DatabaseSync(file, { readOnly: true });
      try {
        expect(db.prepare("PRAGMA integrity_check").all(), file).toEqual([{ integrity_check: "ok" }]);
      } finally {
        db.close();
      }
    }
  }, 300_000);
});
