// Three projects, one run: `workerd` runs inside the Workers runtime (the dispatcher is the Worker under test,
// the deployer runs beside it; pulse fixtures are bundled here on the Node side with the platform's own
// bundlePulse); `workerd-dispatch-namespace` runs the dispatcher suites again with the Cloudflare host;
// `node` drives the real `npm start` and the Cloudflare API contract tests from outside.

import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { join } from "node:path";
import { defineConfig } from "vitest/config";
import { buildFixtures, readExamples } from "./test/support/build-fixtures.ts";
import { prepareWorker, ROOT } from "./supervisor/workers.ts";
import { writeShimModule } from "./supervisor/build/shim-module.ts";
import { writeStudioModule } from "./supervisor/build/studio-module.ts";
import { jwksOf, newLocalKey, newSecretKeys } from "./supervisor/local-auth.ts";
import { ACCOUNT, NAMESPACE, TOKEN } from "./test/support/fake-cloudflare-api.ts";
import { D1_POOL_SIZE } from "./test/support/dispatch-namespace-stand-in.ts";
import { LOOPBACK_TEST_HOST, startLoopbackServer } from "./test/support/loopback-server.ts";

const PROJECT = "workerd";
const NAMESPACE_PROJECT = "workerd-dispatch-namespace";
/**
 * Dispatcher suites that run against both hosts (logs: through the uploaded tail_consumers). Not here: plans (a
 * plan's KV limits reach an uploaded script only at its next upload), secrets (references are baked into the
 * upload, so a secret added after a deploy needs a redeploy), route-cache (it swaps versions behind the deployer).
 */
const NAMESPACE_SUITES = ["dispatcher", "shim", "tenancy", "scoped-kv", "egress", "logs", "canary"];
/**
 * All files of a workerd project in one workerd process, one file after the other: its start-up (seconds on a
 * busy 2-core machine) is paid once per project instead of once per file. The files share its storage, so each
 * makes its own tenants and pulses (docs/testing.md).
 */
const ONE_WORKERD = { isolate: false, maxWorkers: 1 } as const;
/**
 * The node project's files mostly wait on the processes they drive (the platform, the CLI, a browser): two run
 * at a time. They form their own group, after the workerd projects' single worker (vitest runs groups in order).
 */
const NODE_FILES_AT_ONCE = 2;

function isRunnerTeardownRace(error: { name?: string; message?: string }): boolean {
  return (
    error.name === "EnvironmentTeardownError" && !!error.message?.includes('Closing rpc while "resolve" was pending')
  );
}

export default defineConfig(async () => {
  const buildDir = join(ROOT, ".pulse/test-build");
  // Two configured keys (rotation: both verify) and one the platform does not know.
  const [a, b, outsider] = await Promise.all(["test-a", "test-b", "test-outsider"].map((kid) => newLocalKey(kid)));
  const secretKeys = newSecretKeys();
  const deployer = await prepareWorker("deployer", buildDir, {
    before: () => Promise.all([writeShimModule(), writeStudioModule()]),
    bindings: {
      AUTH_JWKS: jwksOf(a!.key, b!.key),
      PULSE_URL_TEMPLATE: "http://{name}.pulses.localhost",
      SECRETS_KEYRING: secretKeys.SECRETS_KEYRING,
      AUTH_SIGNING_JWK: JSON.stringify(a!.privateJwk),
    },
  });
  const upstream = await prepareWorker("test/upstream", buildDir);
  const fakeCloudflare = await prepareWorker("test/fake-cloudflare", buildDir);
  const loopback = await startLoopbackServer();
  const bindings = {
    TEST_MIGRATIONS: await readD1Migrations(join(ROOT, "migrations")),
    TEST_PULSES: (await buildFixtures()) as never, // JSON-shaped: { code } or { errors }
    TEST_KEYS: { a: a!.privateJwk, b: b!.privateJwk, outsider: outsider!.privateJwk } as never,
    ...secretKeys,
    // Allowed test hosts answered by the test upstream Worker (applied after the policy check), and one name
    // sent over the network to a real server on loopback, through the gate's own fetch().
    EGRESS_UPSTREAMS: JSON.stringify({
      "upstream.test": "UPSTREAM_TEST",
      "other.test": "UPSTREAM_TEST",
      "api.github.com": "UPSTREAM_TEST",
      [LOOPBACK_TEST_HOST]: loopback.origin,
    }),
    LOOPBACK_TEST_PORT: String(loopback.port),
    TEST_EXAMPLES: (await readExamples()) as never,
    // The control plane's vars and keys, for tests that run its handler with a broken storage binding.
    TEST_CONTROL_BINDINGS: deployer.bindings as never,
  };
  // The dispatcher under test runs under the plugin's runner name, not "pulse-dispatcher": point the
  // deployer's ROUTES binding there (the plugin renames only the runner's own self-references).
  const deployerFor = (project: string, extra: Record<string, unknown> = {}) => ({
    ...deployer,
    ...extra,
    serviceBindings: {
      ...(deployer.serviceBindings as object),
      ROUTES: { name: `vitest-plugin-runner-${project}`, entrypoint: "RouteControl" },
    },
  });
  // Loopback entrypoints the hosts bind into pulses (ctx.exports.*).
  const additionalExports = {
    ScopedKV: "WorkerEntrypoint",
    ScopedSQL: "WorkerEntrypoint",
    OutboundGate: "WorkerEntrypoint",
    RouteControl: "WorkerEntrypoint",
    PulseLog: "WorkerEntrypoint",
    ReplayOutbound: "WorkerEntrypoint",
    CandidateLog: "WorkerEntrypoint",
  } as const;
  return {
    test: {
      // A workerd project's worker is closed once its last file is done; a module the test runner itself was
      // resolving then (no test or platform module imports lazily) fails the teardown of a run whose tests all
      // passed (vitest-dev/vitest#11153 is the same race on another call). Only that error is let through.
      onUnhandledError: (error: { name?: string; message?: string }) => !isRunnerTeardownRace(error),
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./dispatcher/wrangler.jsonc" },
              additionalExports,
              miniflare: {
                bindings,
                serviceBindings: { UPSTREAM_TEST: "pulse-test-upstream" },
                workers: [deployerFor(PROJECT) as never, upstream as never],
              },
            }),
          ],
          test: {
            name: PROJECT,
            include: ["test/**/*.test.ts"],
            // An explicit exclude replaces vitest's default: node_modules (the corpus installs packages that ship their
            // own tests) must be named again.
            exclude: [
              "**/node_modules/**",
              "test/node/**",
              "test/unit/**",
              "test/realworld/**",
              "test/dispatch-namespace.test.ts",
              "test/namespace-replay.test.ts",
              "test/shared-rate-limit.test.ts",
            ],
            setupFiles: ["./test/support/setup.ts"],
            // Builds run esbuild-wasm inside workerd: a cold one takes seconds on a busy 2-core machine.
            testTimeout: 30_000,
            ...ONE_WORKERD,
          },
        },
        // The same dispatcher suites with SCRIPT_HOST=dispatch-namespace: pulses are uploaded through the
        // Cloudflare backend (SDK -> fake API Worker) and run by a stand-in of the namespace binding.
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./dispatcher/wrangler.jsonc" },
              main: "./test/support/dispatch-namespace-main.ts",
              // Plus what plays Cloudflare's delivery of tail events to the dispatcher (the stand-in's tails) and
              // the namespace's outbound Worker.
              additionalExports: {
                ...additionalExports,
                NamespaceTailStandIn: "WorkerEntrypoint",
                NamespaceOutboundStandIn: "WorkerEntrypoint",
              },
              miniflare: {
                // As env.production sets them: the Cloudflare host and shared rate limits.
                bindings: { ...bindings, SCRIPT_HOST: "dispatch-namespace", RATE_LIMITS: "durable-object" },
                serviceBindings: { UPSTREAM_TEST: "pulse-test-upstream", FAKE_CLOUDFLARE: "pulse-fake-cloudflare" },
                // What the stand-in binds for each pulse's uploaded D1 id (see its header).
                d1Databases: Object.fromEntries(
                  Array.from({ length: D1_POOL_SIZE }, (_, i) => [`PULSE_D1_POOL_${i}`, `pulse-d1-pool-${i}`]),
                ),
                workers: [
                  // The deployer's Cloudflare backend, with every outgoing fetch (api.cloudflare.com) sent to the fake API.
                  deployerFor(NAMESPACE_PROJECT, {
                    bindings: {
                      ...(deployer.bindings as object),
                      SCRIPT_HOST: "dispatch-namespace",
                      CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
                      CLOUDFLARE_API_TOKEN: TOKEN,
                      DISPATCH_NAMESPACE: NAMESPACE,
                      SECRET_REF_KEY: secretKeys.SECRET_REF_KEY,
                    },
                    outboundService: "pulse-fake-cloudflare",
                  }) as never,
                  upstream as never,
                  fakeCloudflare as never,
                ],
              },
            }),
          ],
          test: {
            name: NAMESPACE_PROJECT,
            include: [...NAMESPACE_SUITES, "dispatch-namespace", "namespace-replay", "shared-rate-limit"].map(
              (suite) => `test/${suite}.test.ts`,
            ),
            setupFiles: ["./test/support/setup.ts"],
            testTimeout: 30_000,
            ...ONE_WORKERD,
          },
        },
        {
          // Pure modules (the scan, egress rules, substitution): no runtime needed, so no workerd start-up per file.
          // A group of its own: its default worker count may differ from the other groups' (vitest requires it).
          test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node", sequence: { groupOrder: 2 } },
        },
        {
          // These drive real processes (the platform, the CLI, a browser): allow for a busy 2-core machine. One
          // `npm start` serves the files that only talk to a platform, each as a tenant of its own (docs/testing.md).
          test: {
            name: "node",
            include: ["test/node/**/*.test.ts"],
            environment: "node",
            globalSetup: ["./test/node/support/shared-platform-setup.ts"],
            maxWorkers: NODE_FILES_AT_ONCE,
            sequence: { groupOrder: 1 },
            testTimeout: 120_000,
            hookTimeout: 180_000,
          },
        },
      ],
    },
  };
});
