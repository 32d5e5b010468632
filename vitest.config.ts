// Two projects, one run: `workerd` runs inside the Workers runtime (the dispatcher is the Worker under test,
// the deployer runs beside it; pulse fixtures are bundled here on the Node side with the platform's own
// bundlePulse); `node` drives the real `npm start` from outside.

import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { join } from "node:path";
import { defineConfig } from "vitest/config";
import { buildFixtures, readExamples } from "./test/support/build-fixtures.ts";
import { prepareWorker, ROOT } from "./scripts/lib/workers.ts";
import { writeShimModule } from "./scripts/build-shim.ts";
import { writeStudioModule } from "./scripts/build-studio.ts";
import { jwksOf, newLocalKey, newSecretKeys } from "./scripts/lib/local-auth.ts";

const PROJECT = "workerd";

export default defineConfig(async () => {
  const buildDir = join(ROOT, ".pulse/test-build");
  // Two configured keys (rotation: both verify) and one the platform does not know.
  const [a, b, outsider] = await Promise.all(["test-a", "test-b", "test-outsider"].map((kid) => newLocalKey(kid)));
  const secretKeys = newSecretKeys();
  const deployer = await prepareWorker("deployer", buildDir, {
    before: () => Promise.all([writeShimModule(), writeStudioModule()]),
    bindings: { AUTH_JWKS: jwksOf(a!.key, b!.key), PULSE_URL_TEMPLATE: "http://{name}.pulses.localhost", SECRETS_KEYRING: secretKeys.SECRETS_KEYRING, AUTH_SIGNING_JWK: JSON.stringify(a!.privateJwk) },
  });
  const upstream = await prepareWorker("test/upstream", buildDir);
  // The dispatcher under test runs under the plugin's runner name, not "pulse-dispatcher": point the
  // deployer's ROUTES binding there (the plugin renames only the runner's own self-references).
  deployer.serviceBindings = {
    ...(deployer.serviceBindings as object),
    ROUTES: { name: `vitest-plugin-runner-${PROJECT}`, entrypoint: "RouteControl" },
  };
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./dispatcher/wrangler.jsonc" },
              // Loopback entrypoints the Worker Loader host binds into pulses (ctx.exports.*).
              additionalExports: { ScopedKV: "WorkerEntrypoint", ScopedSQL: "WorkerEntrypoint", OutboundGate: "WorkerEntrypoint", RouteControl: "WorkerEntrypoint", PulseLogTail: "WorkerEntrypoint", ReplayOutbound: "WorkerEntrypoint" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: await readD1Migrations(join(ROOT, "migrations")),
                  TEST_PULSES: (await buildFixtures()) as never, // JSON-shaped: { code } or { errors }
                  TEST_KEYS: { a: a!.privateJwk, b: b!.privateJwk, outsider: outsider!.privateJwk } as never,
                  ...secretKeys,
                  // Allowed test hosts answered by the test upstream Worker (applied after the policy check).
                  EGRESS_UPSTREAMS: JSON.stringify({ "upstream.test": "UPSTREAM_TEST", "other.test": "UPSTREAM_TEST", "api.github.com": "UPSTREAM_TEST" }),
                  TEST_EXAMPLES: (await readExamples()) as never,
                  // The control plane's vars and keys, for tests that run its handler with a broken storage binding.
                  TEST_CONTROL_BINDINGS: deployer.bindings as never,
                },
                serviceBindings: { UPSTREAM_TEST: "pulse-test-upstream" },
                workers: [deployer as never, upstream as never],
              },
            }),
          ],
          test: {
            name: PROJECT,
            include: ["test/**/*.test.ts"],
            exclude: ["test/node/**"],
            setupFiles: ["./test/support/setup.ts"],
            // Builds run esbuild-wasm inside workerd: a cold one takes seconds on a busy 2-core machine.
            testTimeout: 30_000,
          },
        },
        {
          // These drive real processes (the platform, the CLI, a browser): allow for a busy 2-core machine.
          test: { name: "node", include: ["test/node/**/*.test.ts"], environment: "node", testTimeout: 120_000, hookTimeout: 180_000 },
        },
      ],
    },
  };
});
