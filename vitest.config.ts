// Two projects, one run: `workerd` runs inside the Workers runtime (the dispatcher is the Worker under test,
// the deployer runs beside it; pulse fixtures are bundled here on the Node side with the platform's own
// bundlePulse); `node` drives the real `npm start` from outside.

import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { join } from "node:path";
import { defineConfig } from "vitest/config";
import { buildFixtures } from "./test/support/build-fixtures.ts";
import { prepareWorker, ROOT } from "./scripts/lib/workers.ts";

export default defineConfig(async () => {
  const buildDir = join(ROOT, ".pulse/test-build");
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./dispatcher/wrangler.jsonc" },
              // Loopback entrypoints the Worker Loader host binds into pulses (ctx.exports.*).
              additionalExports: { ScopedKV: "WorkerEntrypoint", OutboundGate: "WorkerEntrypoint" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: await readD1Migrations(join(ROOT, "migrations")),
                  TEST_PULSES: (await buildFixtures()) as never, // JSON-shaped: { code } or { errors }
                },
                workers: [(await prepareWorker("deployer", buildDir)) as never],
              },
            }),
          ],
          test: {
            name: "workerd",
            include: ["test/**/*.test.ts"],
            exclude: ["test/node/**"],
            setupFiles: ["./test/support/setup.ts"],
          },
        },
        {
          test: { name: "node", include: ["test/node/**/*.test.ts"], environment: "node" },
        },
      ],
    },
  };
});
