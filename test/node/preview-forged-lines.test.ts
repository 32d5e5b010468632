// A preview's candidate from a hostile tenant's side, without cells (PULSE_CELLS=0), where it runs in the
// dispatcher's process. It keeps no log, and what it printed used to reach the runtime's output as it was: the
// operator's terminal, and the stream the watchdog reads the dispatcher's start lines from. A start line it printed
// naming another pulse just before it looped got that pulse quarantined (measured, before both fixes). Now its
// console goes to a log that keeps nothing (dispatcher/replay/candidate-log.ts), and the watchdog takes only lines
// carrying the dispatcher's key (test/unit/watchdog-line-key.test.ts).

import { expect, it } from "vitest";
import { controlApi, get, outputOf, withPlatform } from "./support/platform-process.ts";

it("keeps what a looping candidate prints out of the runtime's output, and quarantines nobody it names", async () => {
  await withPlatform({ PULSE_CELLS: "0" }, async (port, token, child) => {
    const printed = outputOf(child.stdout!);
    const watchdogSaid = outputOf(child.stderr!);
    const counter = (await controlApi(port, token, "GET", "/v1/pulses/counter")).body;
    const victim = (counter.pulse ?? counter) as { id: string; activeVersionId: string };
    expect(victim.id).toBeTruthy();
    expect((await get(port, "counter.pulses.localhost")).status).toBe(200);

    // A live version with recordings to replay, then the candidate.
    expect((await controlApi(port, token, "POST", "/v1/pulses", { name: "framer" })).status).toBe(201);
    const upload = (source: string, deploy: boolean) =>
      controlApi(port, token, "POST", "/v1/pulses/framer/versions", {
        files: { "index.js": source },
        main: "index.js",
        deploy,
      });
    expect((await upload("export default async function run() { return { live: true }; }", true)).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await get(port, "framer.pulses.localhost", `/?i=${i}`)).status).toBe(200);
    const forged = JSON.stringify({
      event: "pulse_start",
      pulseId: victim.id,
      pulseName: "counter",
      versionId: victim.activeVersionId,
      requestId: "forged",
      isolate: "forged",
    });
    const candidate = await upload(
      `export default async function run() { console.log("candidate-was-here"); console.log(${JSON.stringify(forged)}); for (;;) {} }`,
      false,
    );
    expect(candidate.status).toBe(201);
    // Recordings reach their store in batches: the preview is asked until it has something to replay.
    const deadline = Date.now() + 60_000;
    while (!watchdogSaid().includes("restarting") && Date.now() < deadline) {
      await controlApi(
        port,
        token,
        "POST",
        `/v1/pulses/framer/versions/${candidate.body.version.id}/preview`,
        {},
      ).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 500));
    }
    // The candidate ran (its loop stalled the runtime), and nothing it printed reached the runtime's output.
    expect(watchdogSaid()).toContain("restarting");
    expect(printed()).not.toContain("candidate-was-here");
    expect(printed()).not.toContain('"requestId":"forged"');

    // The counter answers after the restart, and keeps answering: nothing quarantined it.
    let answered = 0;
    const until = Date.now() + 30_000;
    while (answered < 5 && Date.now() < until) {
      const answer = await get(port, "counter.pulses.localhost", "/", 5_000).catch((e: Error) => ({
        status: 0,
        body: e.message,
      }));
      expect(answer.status === 503 ? answer.body : "", watchdogSaid()).not.toContain("pulse_quarantined");
      if (answer.status === 200) answered++;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(answered, watchdogSaid()).toBe(5);
    expect(watchdogSaid()).not.toContain(victim.id);
  });
}, 240_000);
