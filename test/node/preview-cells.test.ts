// A preview of a hostile candidate with `npm start`'s runtime cells: the candidate runs in a cell under the
// watchdog, like live code, and not in the dispatcher's process. Its loop stalls one cell until the watchdog
// restarts it; the other pulses keep answering, the preview ends with the stall in its report, and the live
// version of the pulse keeps serving (the watchdog quarantines by pulse id: it must not name the live pulse).

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PreviewReport } from "../../platform/preview-report.ts";
import { controlApi, freePort, get, start, stop } from "./support/platform-process.ts";

const LIVE = `export default async function run(input, env) {
  return { live: true, seen: await env.kv.get("seen") };
}`;
// Behaves: writes to its (sandbox) KV and asks for a URL the live version never fetched.
const CANDIDATE = `export default async function run(input, env) {
  await env.kv.put("seen", "candidate");
  const upstream = await fetch("https://example.com/");
  return { live: false, seen: await env.kv.get("seen"), upstream: upstream.status };
}`;
const LOOPING = "export default async function run() { for (;;) {} }";

describe("previews with runtime cells", () => {
  let child: ChildProcess;
  let stateDir: string;
  let port: number;
  let token: string;
  let admin: string;
  let stderr = "";

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "pulse-preview-cells-"));
    port = await freePort();
    child = await start(port, stateDir, { PULSE_CELLS: "2" });
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    ({ demo: token, admin } = JSON.parse(await readFile(join(stateDir, "tokens.json"), "utf8")) as {
      demo: string;
      admin: string;
    });
  }, 120_000);

  afterAll(async () => {
    if (child) await stop(child);
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  async function upload(name: string, source: string, deploy: boolean, as = token): Promise<string> {
    const res = await controlApi(port, as, "POST", `/v1/pulses/${name}/versions`, {
      files: { "index.js": source },
      main: "index.js",
      deploy,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.version.id as string;
  }

  async function preview(name: string, versionId: string, as = token) {
    return controlApi(port, as, "POST", `/v1/pulses/${name}/versions/${versionId}/preview`, {});
  }

  /** GETs the counter, about 8 a second, until `done` settles: each answer's status, with the body when not 200. */
  async function counterMeanwhile(done: Promise<unknown>): Promise<string[]> {
    let finished = false;
    void done.finally(() => (finished = true));
    const answers: string[] = [];
    while (!finished) {
      const { status, body } = await get(port, "counter.pulses.localhost", "/", 20_000).catch((e: Error) => ({
        status: 0,
        body: e.message,
      }));
      answers.push(status === 200 ? "200" : `${status} ${body}`);
      await new Promise((r) => setTimeout(r, 120)); // within the counter's plan: 600 requests a minute
    }
    return answers;
  }

  it("runs a looping candidate in a cell: the others keep answering, the report names the stall, the live version serves", async () => {
    expect((await controlApi(port, token, "POST", "/v1/pulses", { name: "shop" })).status).toBe(201);
    const live = await upload("shop", LIVE, true);
    for (let i = 0; i < 3; i++) expect((await get(port, "shop.pulses.localhost", `/?i=${i}`)).status).toBe(200);

    // A candidate that behaves, first: its bindings in the cell are the sandbox's and the recordings'.
    const good = await upload("shop", CANDIDATE, false);
    let report: PreviewReport | undefined;
    for (let i = 0; i < 20 && (report?.summary.inputs ?? 0) < 3; i++) {
      if (i) await new Promise((r) => setTimeout(r, 250)); // recordings reach their store in batches
      const answer = await preview("shop", good);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      report = answer.body as PreviewReport;
    }
    expect(report!.summary.inputs).toBe(3);
    for (const result of report!.results) {
      expect(result.candidate?.status).toBe(200);
      expect(JSON.parse(result.candidate!.body!.text!)).toEqual({ live: false, seen: "candidate", upstream: 403 });
      expect(result.candidate!.unrecordedEgress).toEqual(["GET https://example.com/"]);
    }
    // The candidate's write went to its sandbox.
    expect(JSON.parse((await get(port, "shop.pulses.localhost")).body)).toEqual({ live: true, seen: null });

    // Then one that loops, beside a counter that has answered enough to be placed with established code
    // (dispatcher/hosts/cell-placement.ts: new code runs in a probation cell).
    const looping = await upload("shop", LOOPING, false);
    for (let i = 0; i < 25; i++) expect((await get(port, "counter.pulses.localhost")).status).toBe(200);
    const previewing = preview("shop", looping).catch((e: Error) => ({ status: 0, body: { error: e.message } }));
    const duringPreview = await counterMeanwhile(previewing);
    const stalled = await previewing;
    expect(duringPreview.length).toBeGreaterThan(0);
    expect(duringPreview.filter((s) => s !== "200")).toEqual([]);

    expect(stalled.status, JSON.stringify(stalled.body)).toBe(200);
    const stallReport = stalled.body as PreviewReport;
    expect(stallReport.results[0]!.candidate?.error?.code).toBe("pulse_stalled");
    expect(stallReport.results.slice(1).every((r) => r.skipped)).toBe(true);
    expect(stallReport.summary.messages[0]).toMatch(/stalled its runtime cell on input 1/);

    // The live version was not quarantined for its candidate's loop.
    const after = await get(port, "shop.pulses.localhost");
    expect(after.status, after.body).toBe(200);
    expect(JSON.parse(after.body)).toEqual({ live: true, seen: null });
    const pulse = await controlApi(port, token, "GET", "/v1/pulses/shop");
    expect(pulse.body.activeVersionId).toBe(live);

    // The loop held a cell, which the watchdog restarted, blaming the preview's sandbox and not the live pulse;
    // the dispatcher's own process never stopped answering.
    expect(stderr).toMatch(
      /watchdog: runtime cell \d stopped answering; restarting it \(pulse to blame: r[a-z2-7]{20}\)/,
    );
    expect(stderr).not.toMatch(/watchdog: the dispatcher's process/);

    // The tenant whose candidate stalled a cell cannot start previews again at once: each would hold the
    // probation cell, where every tenant's new code runs, for the watchdog's seconds and a restart.
    const again = await preview("shop", looping);
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe("rate_limited");

    // With a wall time shorter than the watchdog takes to find a stuck cell, the loop is still reported as a stall
    // (not as a timeout followed by the next input sent into the stuck cell). Another tenant: the first is cooling.
    expect((await controlApi(port, admin, "POST", "/v1/admin/tenants", { name: "other", plan: "free" })).status).toBe(
      201,
    );
    const issued = await controlApi(port, admin, "POST", "/v1/admin/tenants/other/tokens", { subject: "o" });
    const other = issued.body.token as string;
    expect((await controlApi(port, other, "POST", "/v1/pulses", { name: "shop-two" })).status).toBe(201);
    await upload("shop-two", LIVE, true, other);
    for (let i = 0; i < 3; i++) expect((await get(port, "shop-two.pulses.localhost", `/?i=${i}`)).status).toBe(200);
    const loopingTwo = await upload("shop-two", LOOPING, false, other);
    await new Promise((r) => setTimeout(r, 1000)); // recordings reach their store in batches
    const shorter = await controlApi(port, admin, "PATCH", "/v1/admin/plans/free", { limits: { wallMs: 1000 } });
    expect(shorter.status).toBe(200);
    const shortWall = preview("shop-two", loopingTwo, other).catch((e: Error) => ({
      status: 0,
      body: { error: e.message },
    }));
    const duringShortWall = await counterMeanwhile(shortWall);
    expect(duringShortWall.filter((s) => s !== "200")).toEqual([]);
    const shortReport = (await shortWall).body as PreviewReport;
    const outcomes = shortReport.results.map((r) => r.candidate?.error?.code ?? (r.skipped ? "skipped" : "ran"));
    expect(outcomes[0]).toBe("pulse_stalled");
    expect(outcomes.slice(1).filter((o) => o !== "skipped")).toEqual([]);
    expect((await get(port, "shop-two.pulses.localhost")).status).toBe(200);
  }, 240_000);
});
