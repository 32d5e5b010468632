// npm run lint:openapi: generates the control API's OpenAPI document from the deployer's routes, without a
// server (lib/openapi-document.ts), and lints it with Redocly's recommended rules (scripts/redocly.yaml). CI runs
// it (.ci/run); it fails on any error, an operation without an operationId included.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, writeOpenApiDocument } from "./lib/openapi-document.ts";

const { path: specPath } = await writeOpenApiDocument();
const redocly = join(ROOT, "node_modules/@redocly/cli/bin/cli.js");
const lint = spawnSync(process.execPath, [redocly, "lint", "--config", join(ROOT, "scripts/redocly.yaml"), specPath], {
  stdio: "inherit",
  // No usage reports or update checks from CI: the only network the project's machines may use is the registry.
  env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
});
process.exit(lint.status ?? 1);
