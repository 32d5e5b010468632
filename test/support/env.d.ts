// Bindings the tests see: the dispatcher's, plus what vitest.config.ts injects.
import type { DispatcherEnv } from "../../dispatcher/env.ts";
import type { Migration } from "../../platform/migrations.ts";
import type { ExampleUpload, FixtureBuild } from "./build-fixtures.ts";

declare global {
  namespace Cloudflare {
    interface Env extends DispatcherEnv {
      TEST_MIGRATIONS: Migration[];
      TEST_PULSES: Record<string, FixtureBuild>;
      TEST_EXAMPLES: Record<string, ExampleUpload>;
      /** The control plane's vars and secrets (AUTH_JWKS, SECRETS_KEYRING, ...). */
      TEST_CONTROL_BINDINGS: Record<string, string>;
      /** Private JWKs: a and b are configured on the deployer, outsider is not. */
      /** The fake Cloudflare API Worker (dispatch-namespace project only). */
      FAKE_CLOUDFLARE?: Fetcher;
      TEST_KEYS: Record<"a" | "b" | "outsider", import("jose").JWK & { kid: string }>;
      /** The port of the real HTTP server on 127.0.0.1 (test/support/loopback-server.ts). */
      LOOPBACK_TEST_PORT: string;
    }
  }
}
