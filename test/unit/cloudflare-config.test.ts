// What the Cloudflare build deploys (env.production of the wrangler.jsonc files, read by wrangler itself): the
// bindings the Cloudflare path needs beyond the namespace, which no workerd test reads (the test projects run the
// top-level configuration).

import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { describe, expect, it } from "vitest";

const production = (worker: string) =>
  unstable_readConfig({ config: join(import.meta.dirname, "../..", worker, "wrangler.jsonc"), env: "production" });

describe("Cloudflare production configuration", () => {
  it("gives the dispatcher a Worker Loader for previews and a shared rate-limit object", () => {
    const dispatcher = production("dispatcher");
    expect(dispatcher.worker_loaders).toEqual([{ binding: "LOADER" }]);
    expect(dispatcher.vars).toMatchObject({ SCRIPT_HOST: "dispatch-namespace", RATE_LIMITS: "durable-object" });
    expect(dispatcher.durable_objects.bindings).toContainEqual({ name: "PULSE_RATE", class_name: "PulseRateLimiter" });
    const classes = dispatcher.migrations.flatMap((m: { new_sqlite_classes?: string[] }) => m.new_sqlite_classes ?? []);
    expect(classes).toContain("PulseRateLimiter");
    const namespace = dispatcher.dispatch_namespaces[0]!;
    expect(namespace.outbound?.parameters).toContain("replayKeep");
  });

  it("binds the dispatcher's replay store into the outbound Worker", () => {
    expect(production("outbound").durable_objects.bindings).toContainEqual({
      name: "PULSE_REPLAY",
      class_name: "PulseReplayStore",
      script_name: "pulse-dispatcher",
    });
  });
});
