// Scheduled pulses on workerd: a pulse's `schedule` export arms its scheduler at deploy; under a clock the
// test controls, the alarm lands on the next cron occurrence, runs the pulse's scheduled handler through the
// dispatcher's path (its own env.kv, logs) and, after downtime, runs once instead of replaying every missed
// occurrence. Plan minimums, overrides, pauses, suspension, quarantine, rollback and delete from the outside;
// end users who forge the platform's headers get an ordinary request.

import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { PulseScheduler } from "../dispatcher/schedules/scheduler.ts";
import { checkSchedule, dueRuns, MAX_MISSED_COUNTED, minGapSeconds, nextRunAt } from "../platform/schedules.ts";
import { adminToken, api, newTenant, type TestTenant } from "./support/control.ts";
import { callHost, BASE, uniqueName } from "./support/pulses.ts";

// Every test deploys through the control plane (an esbuild-wasm build each): time for a busy machine.
vi.setConfig({ testTimeout: 20_000 });

const MIN = 60_000;
/** A moment far from the real clock, so a real alarm never fires during a test. */
const T0 = Date.parse("2031-03-04T10:02:30Z");

const WITH_HANDLER = `
export const schedule = "*/5 * * * *";
export async function scheduled(event: { cron: string; scheduledTime: number }, env: any, ctx: { requestId: string }) {
  console.log("tick", event.cron);
  const runs = Number((await env.kv.get("runs")) ?? "0") + 1;
  await env.kv.put("runs", String(runs));
  await env.kv.put("last", JSON.stringify({ event, requestId: ctx.requestId, envKeys: Object.keys(env).sort() }));
  if ((await env.kv.get("fail")) === "1") throw new Error("scheduled kaboom");
}
export default async function run(input: any, env: any) {
  if (input.fail) await env.kv.put("fail", "1");
  return { input, runs: Number((await env.kv.get("runs")) ?? "0"), last: JSON.parse((await env.kv.get("last")) ?? "null") };
}
`;

const RUN_ONLY = `
export const schedule = ["0 * * * *", "30 2 * * 1"];
export default async function run(input: any, env: any) {
  if (input && input.scheduled === true) {
    await env.kv.put("last", JSON.stringify(input));
    return;
  }
  return { last: JSON.parse((await env.kv.get("last")) ?? "null") };
}
`;

/** Fetches an allowed host and an internal one, then uses as much wall time and as many KV ops as asked. */
const USES_LIMITS = `
export const schedule = "0 * * * *";
export async function scheduled(event: any, env: any) {
  const sleepMs = Number((await env.kv.get("sleep")) ?? "0");
  const kvOps = Number((await env.kv.get("kvOps")) ?? "0");
  const allowed = await fetch("https://upstream.test/echo");
  const denied = await fetch("http://169.254.169.254/latest/meta-data/");
  const deniedBody: any = await denied.json();
  await env.kv.put("last", JSON.stringify({ allowed: allowed.status, denied: denied.status, deniedCode: deniedBody.error.code }));
  for (let i = 0; i < kvOps; i++) await env.kv.get("k" + i);
  if (sleepMs) await new Promise((r) => setTimeout(r, sleepMs));
}
export default async function run(input: any, env: any) {
  for (const key of ["sleep", "kvOps"]) if (input[key]) await env.kv.put(key, input[key]);
  return JSON.parse((await env.kv.get("last")) ?? "null");
}
`;

const NO_SCHEDULE = `export default async function run() { return { plain: true }; }`;

interface Deployed {
  name: string;
  id: string;
  tenant: TestTenant;
  scheduler: DurableObjectStub<PulseScheduler>;
}

async function createPulse(tenant: TestTenant): Promise<Deployed> {
  const name = uniqueName("sched");
  const res = await api("POST", "/v1/pulses", { token: tenant.token, body: { name } });
  expect(res.status).toBe(201);
  return { name, id: res.body.id, tenant, scheduler: env.PULSE_SCHEDULES.getByName(res.body.id) };
}

function upload(p: Deployed, source: string, deploy = true) {
  return api("POST", `/v1/pulses/${p.name}/versions`, {
    token: p.tenant.token,
    body: { files: { "index.ts": source }, main: "index.ts", deploy },
  });
}

/** A pulse whose scheduler runs on the test's clock from before its first deploy. */
async function deployAt(at: number, source: string, tenant?: TestTenant): Promise<Deployed> {
  const p = await createPulse(tenant ?? (await newTenant("pro")));
  await setClock(p, at);
  const res = await upload(p, source);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return p;
}

async function setClock(p: Deployed, at: number): Promise<void> {
  await runInDurableObject(p.scheduler, (instance: PulseScheduler) => {
    instance.now = () => at;
  });
}

const storedAlarm = (p: Deployed) => runInDurableObject(p.scheduler, (_instance, state) => state.storage.getAlarm());

/** Moves the clock to `at` and fires the alarm, as the runtime would at that moment. */
async function fireAt(p: Deployed, at: number): Promise<void> {
  await setClock(p, at);
  expect(await runDurableObjectAlarm(p.scheduler)).toBe(true);
}

const schedules = (p: Deployed) => api("GET", `/v1/pulses/${p.name}/schedules`, { token: p.tenant.token });
const putSchedules = (p: Deployed, body: unknown) =>
  api("PUT", `/v1/pulses/${p.name}/schedules`, { token: p.tenant.token, body });

async function callPulse(p: Deployed, path = "/", init: RequestInit = {}): Promise<any> {
  const res = await callHost(`${p.name}.${BASE}`, path, init);
  expect(res.status).toBe(200);
  return res.json();
}

describe("a schedule export", () => {
  it("arms the alarm at the next cron occurrence and fires on time, running the scheduled handler with the pulse's own env", async () => {
    const p = await deployAt(T0, WITH_HANDLER);
    const first = Date.parse("2031-03-04T10:05:00Z");
    expect(await storedAlarm(p)).toBe(first);
    const before = await schedules(p);
    expect(before.body).toMatchObject({
      source: "version",
      schedule: ["*/5 * * * *"],
      versionSchedule: ["*/5 * * * *"],
      override: null,
      paused: false,
      minIntervalSeconds: 60,
      nextRunAt: "2031-03-04T10:05:00.000Z",
      runs: [],
    });

    await fireAt(p, first);
    const state = await callPulse(p);
    expect(state.runs).toBe(1);
    expect(state.last.event).toEqual({ cron: "*/5 * * * *", scheduledTime: first });
    // The same env an end user's request gets, nothing more.
    expect(state.last.envKeys).toEqual(
      ["VIBE_ID", "connections", "crypto", "db", "kv", "Pro_User_Binding", "secrets"].sort(),
    );
    expect(await storedAlarm(p)).toBe(first + 5 * MIN);

    const after = await schedules(p);
    expect(after.body.nextRunAt).toBe("2031-03-04T10:10:00.000Z");
    expect(after.body.runs).toHaveLength(1);
    expect(after.body.runs[0]).toMatchObject({
      cron: "*/5 * * * *",
      scheduledTime: "2031-03-04T10:05:00.000Z",
      outcome: "ok",
      status: 204,
      missed: 0,
      requestId: state.last.requestId,
    });
  });

  it("after downtime runs once, for the latest missed occurrence, and schedules the next future one", async () => {
    const p = await deployAt(T0, WITH_HANDLER);
    // The platform was down from before 10:05 until 11:07:10: thirteen occurrences passed (10:05 ... 11:05).
    const late = Date.parse("2031-03-04T11:07:10Z");
    await fireAt(p, late);
    const state = await callPulse(p);
    expect(state.runs).toBe(1);
    expect(state.last.event.scheduledTime).toBe(Date.parse("2031-03-04T11:05:00Z"));
    expect(await storedAlarm(p)).toBe(Date.parse("2031-03-04T11:10:00Z"));
    const { body } = await schedules(p);
    expect(body.runs).toHaveLength(1);
    expect(body.runs[0]).toMatchObject({ outcome: "ok", missed: 12, scheduledTime: "2031-03-04T11:05:00.000Z" });

    // An alarm that fires early (before the next occurrence) runs nothing and keeps the same next time.
    await fireAt(p, Date.parse("2031-03-04T11:09:59Z"));
    expect((await callPulse(p)).runs).toBe(1);
    expect(await storedAlarm(p)).toBe(Date.parse("2031-03-04T11:10:00Z"));
  });

  it("a tick that cannot read the platform database retries a minute later and then runs what is owed, once", async () => {
    const p = await deployAt(T0, WITH_HANDLER);
    const at = Date.parse("2031-03-04T10:05:00Z");
    await runInDurableObject(p.scheduler, async (instance: PulseScheduler, state) => {
      const scheduler = instance as unknown as { env: Record<string, unknown> };
      const real = scheduler.env;
      scheduler.env = {
        ...real,
        DB: {
          prepare: () => {
            throw new Error("D1 unreachable");
          },
        },
      };
      instance.now = () => at;
      await state.storage.deleteAlarm(); // as the runtime does when it runs an alarm
      try {
        await instance.tick();
      } finally {
        scheduler.env = real;
      }
      expect(await state.storage.getAlarm()).toBe(at + MIN);
    });
    await fireAt(p, at + MIN);
    const runs = (await schedules(p)).body.runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ scheduledTime: "2031-03-04T10:05:00.000Z", outcome: "ok", missed: 0 });
    expect(await storedAlarm(p)).toBe(Date.parse("2031-03-04T10:10:00Z"));
  });

  it("logs each run in the pulse's logs with its outcome, and a failing handler as an error with its stack", async () => {
    const p = await deployAt(T0, WITH_HANDLER);
    await fireAt(p, Date.parse("2031-03-04T10:05:00Z"));
    await callPulse(p, "/?fail=1");
    await fireAt(p, Date.parse("2031-03-04T10:10:00Z"));
    const runs = (await schedules(p)).body.runs;
    expect(runs.map((r: any) => r.outcome)).toEqual(["error", "ok"]);
    expect(runs[0]).toMatchObject({ status: 500, detail: "pulse_error" });

    const logs = await logsUntil(
      p,
      (entries) =>
        entries.some(
          (e) => e.requestId === runs[0].requestId && e.level === "error" && e.message.includes("scheduled kaboom"),
        ) && entries.some((e) => e.requestId === runs[1].requestId && e.level === "log"),
    );
    const okLine = logs.find((e) => e.requestId === runs[1].requestId && e.data?.kind === "scheduled");
    expect(okLine).toMatchObject({
      level: "info",
      message: expect.stringMatching(
        /^scheduled run "\*\/5 \* \* \* \*" for 2031-03-04T10:05:00.000Z: ok \(204, \d+ ms\)$/,
      ),
    });
    expect(logs.find((e) => e.requestId === runs[1].requestId && e.level === "log")?.message).toBe("tick */5 * * * *");
    const errorLine = logs.find((e) => e.requestId === runs[0].requestId && e.data?.kind === "scheduled");
    expect(errorLine).toMatchObject({ level: "error", data: { outcome: "error", status: 500 } });
    const stack = logs.find(
      (e) => e.requestId === runs[0].requestId && e.level === "error" && e.message.includes("scheduled kaboom"),
    );
    expect(stack?.message).toMatch(/\n\s+at /);
    // Scheduled runs get no end-user request line.
    expect(logs.filter((e) => e.requestId === runs[1].requestId && e.level === "request")).toEqual([]);
  });

  it("calls run({ scheduled: true, cron, time }) when there is no scheduled export, one run per expression that came due", async () => {
    const monday = Date.parse("2031-03-03T02:10:00Z"); // a Monday
    const p = await deployAt(monday, RUN_ONLY);
    expect(await storedAlarm(p)).toBe(Date.parse("2031-03-03T02:30:00Z"));
    await fireAt(p, Date.parse("2031-03-03T02:30:00Z"));
    expect((await callPulse(p)).last).toEqual({
      scheduled: true,
      cron: "30 2 * * 1",
      time: Date.parse("2031-03-03T02:30:00Z"),
    });
    // Down from 02:30 to 04:00:05: the hourly expression missed 03:00 and runs once for 04:00.
    await fireAt(p, Date.parse("2031-03-03T04:00:05Z"));
    const runs = (await schedules(p)).body.runs;
    expect(runs.map((r: any) => [r.cron, r.scheduledTime, r.missed])).toEqual([
      ["0 * * * *", "2031-03-03T04:00:00.000Z", 1],
      ["30 2 * * 1", "2031-03-03T02:30:00.000Z", 0],
    ]);
  });
});

describe("the same path as an end user's request", () => {
  it("goes through the outbound gate and the plan's KV and wall-time limits", async () => {
    const admin = await adminToken();
    const pro = await api("GET", "/v1/admin/plans/pro", { token: admin });
    const plan = uniqueName("plan").replace(/-/g, "").slice(0, 40);
    const limits = { ...pro.body.limits, wallMs: 1000, kvOpsPerRequest: 6 };
    expect((await api("POST", "/v1/admin/plans", { token: admin, body: { name: plan, limits } })).status).toBe(201);
    const p = await deployAt(T0, USES_LIMITS, await newTenant(plan));

    // Three KV operations before the loop: the plan's six per invocation end it at its fourth.
    await callPulse(p, "/?kvOps=4");
    await fireAt(p, Date.parse("2031-03-04T11:00:00Z"));
    expect(await callPulse(p)).toEqual({ allowed: 200, denied: 403, deniedCode: "egress_denied" });
    const failed = (await schedules(p)).body.runs[0];
    expect(failed).toMatchObject({ outcome: "error", status: 500, detail: "pulse_error" });
    const logs = await logsUntil(p, (entries) =>
      entries.some(
        (e) => e.requestId === failed.requestId && e.level === "error" && e.message.includes("kv_limit_exceeded"),
      ),
    );
    expect(
      logs.find((e) => e.requestId === failed.requestId && e.message.includes("kv_limit_exceeded")).message,
    ).toContain("more than 6 KV operations");

    await callPulse(p, "/?sleep=3000&kvOps=3");
    await fireAt(p, Date.parse("2031-03-04T12:00:00Z"));
    const runs = (await schedules(p)).body.runs;
    expect(runs[0]).toMatchObject({ outcome: "timeout", status: 504, detail: "pulse_timeout" });
    expect(runs[0].ms).toBeGreaterThanOrEqual(1000);
    expect(runs[0].ms).toBeLessThan(3000);
  });
});

describe("plan minimums and overrides", () => {
  let free: TestTenant;
  beforeAll(async () => {
    free = await newTenant("free");
  });

  it("refuses to make live a version whose export runs more often than the plan allows, and changes nothing", async () => {
    const p = await createPulse(free);
    const ok = await upload(p, NO_SCHEDULE);
    expect(ok.status).toBe(201);
    const res = await upload(p, WITH_HANDLER.replace('"*/5 * * * *"', '"*/2 * * * *"'));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("schedule_too_frequent");
    expect(res.body.error.message).toContain("every 2 min");
    expect(res.body.error.message).toContain("every 5 min");
    const pulse = await api("GET", `/v1/pulses/${p.name}`, { token: free.token });
    expect(pulse.body.activeVersionId).toBe(ok.body.version.id);
    expect(await callPulse(p)).toEqual({ plain: true });
  });

  it("refuses an export that is not a cron expression", async () => {
    const p = await createPulse(free);
    for (const bad of ['"every minute"', '["0 * * * *", 5]', '"* * * * * *"', '"0 0 31 2 *"']) {
      const res = await upload(p, `export const schedule = ${bad};\nexport default async function run() { return 1; }`);
      expect(res.status, bad).toBe(422);
      expect(res.body.error.code, bad).toBe("schedule_invalid");
    }
  });

  it("validates overrides with croner and the plan minimum (422), counting the runs of all expressions together", async () => {
    const p = await createPulse(free);
    await upload(p, NO_SCHEDULE);
    const tooFast = await putSchedules(p, { schedule: "* * * * *" });
    expect(tooFast.status).toBe(422);
    expect(tooFast.body.error).toMatchObject({
      code: "schedule_too_frequent",
      message: expect.stringContaining("every 1 min"),
    });
    // Each every hour, but together two minutes apart.
    const together = await putSchedules(p, { schedule: ["0 * * * *", "2 * * * *"] });
    expect(together.status).toBe(422);
    expect(together.body.error.code).toBe("schedule_too_frequent");
    // Across midnight: 23:58 and 00:01 are three minutes apart.
    expect((await putSchedules(p, { schedule: ["58 23 * * *", "1 0 * * *"] })).body.error.code).toBe(
      "schedule_too_frequent",
    );
    const invalid = await putSchedules(p, { schedule: "61 * * * *" });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error).toMatchObject({ code: "schedule_invalid", message: expect.stringContaining("minute") });
    expect((await putSchedules(p, { schedule: "@hourly" })).body.error.code).toBe("schedule_invalid");
    expect((await putSchedules(p, { schedule: 5 })).status).toBe(400);

    // Hourly plus daily at midnight: the same minute counts as one run.
    const fine = await putSchedules(p, { schedule: ["0 * * * *", "0 0 * * *"] });
    expect(fine.status).toBe(200);
    expect(fine.body).toMatchObject({
      source: "override",
      schedule: ["0 * * * *", "0 0 * * *"],
      versionSchedule: null,
      minIntervalSeconds: 300,
    });
    expect(fine.body.nextRunAt).not.toBeNull();
  });

  it("an override replaces the export until cleared; pausing stops the alarm and nothing is owed after", async () => {
    const p = await deployAt(T0, WITH_HANDLER);
    const over = await putSchedules(p, { schedule: "0 12 * * *" });
    expect(over.status).toBe(200);
    expect(over.body).toMatchObject({
      source: "override",
      schedule: ["0 12 * * *"],
      versionSchedule: ["*/5 * * * *"],
      nextRunAt: "2031-03-04T12:00:00.000Z",
    });
    expect(await storedAlarm(p)).toBe(Date.parse("2031-03-04T12:00:00Z"));

    const paused = await putSchedules(p, { paused: true });
    expect(paused.body).toMatchObject({ paused: true, source: "override", nextRunAt: null });
    expect(await storedAlarm(p)).toBeNull();

    // Unpaused an hour later: occurrences during the pause are not run; the next one is.
    await setClock(p, Date.parse("2031-03-04T13:00:30Z"));
    const resumed = await putSchedules(p, { paused: false, schedule: null });
    expect(resumed.body).toMatchObject({
      paused: false,
      source: "version",
      schedule: ["*/5 * * * *"],
      override: null,
      nextRunAt: "2031-03-04T13:05:00.000Z",
    });
    await fireAt(p, Date.parse("2031-03-04T13:04:59Z"));
    expect((await callPulse(p)).runs).toBe(0);
    expect((await schedules(p)).body.runs).toEqual([]);
    expect(await storedAlarm(p)).toBe(Date.parse("2031-03-04T13:05:00Z"));
  });
});

describe("what stops or skips runs", () => {
  it("a suspended tenant's pulse does not run, and the history says so; after resume it runs again", async () => {
    const admin = await adminToken();
    const p = await deployAt(T0, WITH_HANDLER);
    expect((await api("POST", `/v1/admin/tenants/${p.tenant.name}/suspend`, { token: admin })).status).toBe(200);
    await fireAt(p, Date.parse("2031-03-04T10:05:00Z"));
    expect(await storedAlarm(p)).toBe(Date.parse("2031-03-04T10:10:00Z"));
    expect((await api("POST", `/v1/admin/tenants/${p.tenant.name}/resume`, { token: admin })).status).toBe(200);
    await fireAt(p, Date.parse("2031-03-04T10:10:00Z"));
    const runs = (await schedules(p)).body.runs;
    expect(runs.map((r: any) => r.outcome)).toEqual(["ok", "skipped_suspended"]);
    expect(runs[1]).toMatchObject({ status: null, detail: expect.stringContaining("suspended") });
    expect((await callPulse(p)).runs).toBe(1);
  });

  it("a quarantined version does not run", async () => {
    const p = await deployAt(T0, WITH_HANDLER);
    await env.DB.prepare(`UPDATE pulses SET quarantined_until = ?2 WHERE id = ?1`)
      .bind(p.id, Date.now() + 60 * MIN)
      .run();
    await fireAt(p, Date.parse("2031-03-04T10:05:00Z"));
    expect((await schedules(p)).body.runs[0]).toMatchObject({ outcome: "skipped_quarantined" });
    expect(await storedAlarm(p)).toBe(Date.parse("2031-03-04T10:10:00Z"));
    await env.DB.prepare(`UPDATE pulses SET quarantined_until = NULL WHERE id = ?1`).bind(p.id).run();
    await fireAt(p, Date.parse("2031-03-04T10:10:00Z"));
    expect((await schedules(p)).body.runs.map((r: any) => r.outcome)).toEqual(["ok", "skipped_quarantined"]);
  });

  it("a plan that no longer allows the schedule skips its runs instead of running them", async () => {
    const p = await deployAt(T0, WITH_HANDLER.replace('"*/5 * * * *"', '"*/2 * * * *"'));
    const admin = await adminToken();
    const plan = uniqueName("plan").replace(/-/g, "").slice(0, 40);
    const pro = await api("GET", "/v1/admin/plans/pro", { token: admin });
    expect(
      (
        await api("POST", "/v1/admin/plans", {
          token: admin,
          body: { name: plan, limits: { ...pro.body.limits, minScheduleIntervalSeconds: 600 } },
        })
      ).status,
    ).toBe(201);
    expect((await api("PATCH", `/v1/admin/tenants/${p.tenant.name}`, { token: admin, body: { plan } })).status).toBe(
      200,
    );
    await fireAt(p, Date.parse("2031-03-04T10:04:00Z"));
    expect((await schedules(p)).body.runs[0]).toMatchObject({
      outcome: "skipped_plan_minimum",
      detail: expect.stringContaining("every 10 min"),
    });
    expect((await callPulse(p)).runs).toBe(0);
  });

  it("a deploy without a schedule stops the alarm, a rollback brings it back, a delete removes it with the history", async () => {
    const p = await deployAt(T0, WITH_HANDLER);
    await fireAt(p, Date.parse("2031-03-04T10:05:00Z"));
    expect(await storedAlarm(p)).toBe(Date.parse("2031-03-04T10:10:00Z"));
    expect((await upload(p, NO_SCHEDULE)).status).toBe(201);
    expect(await storedAlarm(p)).toBeNull();
    expect((await schedules(p)).body).toMatchObject({
      source: "none",
      schedule: [],
      versionSchedule: null,
      nextRunAt: null,
    });

    const back = await api("POST", `/v1/pulses/${p.name}/rollback`, { token: p.tenant.token });
    expect(back.status).toBe(200);
    expect(await storedAlarm(p)).toBe(Date.parse("2031-03-04T10:10:00Z"));
    expect((await schedules(p)).body.source).toBe("version");

    expect((await api("DELETE", `/v1/pulses/${p.name}`, { token: p.tenant.token })).status).toBe(200);
    expect(await storedAlarm(p)).toBeNull();
    expect(
      await runInDurableObject(p.scheduler, (_i, state) =>
        state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'runs'").toArray(),
      ),
    ).toEqual([]);
    const row = await env.DB.prepare(`SELECT count(*) AS n FROM pulse_schedules WHERE pulse_id = ?1`)
      .bind(p.id)
      .first<number>("n");
    expect(row).toBe(0);
  });

  it("a stale alarm of a deleted pulse cleans itself up instead of running", async () => {
    const p = await deployAt(T0, WITH_HANDLER);
    // The pulse's rows disappear without the data plane hearing of it.
    await env.DB.batch([
      env.DB.prepare(`UPDATE pulses SET active_version_id = NULL WHERE id = ?1`).bind(p.id),
      env.DB.prepare(`DELETE FROM deployments WHERE pulse_id = ?1`).bind(p.id),
      env.DB.prepare(`DELETE FROM versions WHERE pulse_id = ?1`).bind(p.id),
      env.DB.prepare(`DELETE FROM pulses WHERE id = ?1`).bind(p.id),
    ]);
    await fireAt(p, Date.parse("2031-03-04T10:05:00Z"));
    expect(await storedAlarm(p)).toBeNull();
  });
});

describe("the platform's internal calls, from an end user's side", () => {
  it("another tenant can neither read nor change a pulse's schedule: 404, like a pulse that does not exist", async () => {
    const p = await deployAt(T0, WITH_HANDLER);
    const other = await newTenant("pro");
    for (const [method, body] of [
      ["GET", undefined],
      ["PUT", { paused: true }],
    ] as const) {
      const res = await api(method, `/v1/pulses/${p.name}/schedules`, { token: other.token, body });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("pulse_not_found");
    }
    expect((await schedules(p)).body.paused).toBe(false);
    expect(await storedAlarm(p)).toBe(Date.parse("2031-03-04T10:05:00Z"));
  });

  it("a forged scheduled-run or describe header reaches run() as an ordinary request", async () => {
    const p = await deployAt(T0, WITH_HANDLER);
    const forged = await callPulse(p, "/?who=attacker", {
      headers: {
        "x-pulse-scheduled": JSON.stringify({ cron: "* * * * *", scheduledTime: 1 }),
        "x-pulse-describe": "1",
      },
    });
    expect(forged).toEqual({ input: { who: "attacker" }, runs: 0, last: null });
    const posted = await callHost(`${p.name}.${BASE}`, "/", {
      method: "POST",
      headers: { "content-type": "application/json", "X-Pulse-Scheduled": '{"cron":"* * * * *","scheduledTime":1}' },
      body: JSON.stringify({ probe: true }),
    });
    expect(await posted.json()).toEqual({ input: { probe: true }, runs: 0, last: null });
  });
});

async function logsUntil(p: Deployed, done: (entries: any[]) => boolean): Promise<any[]> {
  let last: unknown;
  for (let i = 0; i < 60; i++) {
    const res = await api("GET", `/v1/pulses/${p.name}/logs?limit=1000`, { token: p.tenant.token });
    if (done(res.body.logs)) return res.body.logs;
    last = res.body.logs;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the expected log entries did not arrive: ${JSON.stringify(last)}`);
}

describe("schedule rules (platform/schedules.ts)", () => {
  it("bounds the gap between runs from the minute and hour fields of all expressions", () => {
    expect(minGapSeconds(["*/5 * * * *"])).toBe(300);
    expect(minGapSeconds(["0 * * * *", "0 0 * * *"])).toBe(3600);
    expect(minGapSeconds(["0,50 * * * *"])).toBe(600); // :50 to the next hour's :00
    expect(minGapSeconds(["30 2 * * 1"])).toBe(86_400);
    expect(minGapSeconds(["58 23 * * *", "1 0 * * *"])).toBe(180);
    expect(checkSchedule(["*/5 * * * *", " */5  *  * * * "], 300)).toEqual({
      ok: true,
      crons: ["*/5 * * * *"],
      minGapSeconds: 300,
    });
    expect(
      checkSchedule(
        Array.from({ length: 11 }, (_, i) => `${i} 3 * * *`),
        60,
      ),
    ).toMatchObject({ ok: false, code: "schedule_invalid" });
  });

  it("finds the next occurrence and the runs due after downtime, counting what was missed", () => {
    const at = Date.parse("2031-03-04T10:02:30Z");
    expect(nextRunAt(["0 * * * *", "*/5 * * * *"], at)).toBe(Date.parse("2031-03-04T10:05:00Z"));
    expect(nextRunAt(["*/5 * * * *"], Date.parse("2031-03-04T10:05:00Z"))).toBe(Date.parse("2031-03-04T10:10:00Z"));
    expect(dueRuns(["*/5 * * * *"], at, Date.parse("2031-03-04T10:04:59Z"))).toEqual([]);
    expect(dueRuns(["*/5 * * * *"], at, Date.parse("2031-03-04T10:05:00Z"))).toEqual([
      { cron: "*/5 * * * *", scheduledTime: Date.parse("2031-03-04T10:05:00Z"), missed: 0 },
    ]);
    // Three days down on a minute schedule: one run, for the last minute, and "at least" the counting bound missed.
    const back = Date.parse("2031-03-07T10:02:30Z");
    expect(dueRuns(["* * * * *"], at, back)).toEqual([
      { cron: "* * * * *", scheduledTime: Date.parse("2031-03-07T10:02:00Z"), missed: MAX_MISSED_COUNTED },
    ]);
  });
});
