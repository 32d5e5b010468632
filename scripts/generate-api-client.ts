// npm run generate:api-client: the control API's types for the shared client (platform/api-client/), generated
// by openapi-typescript from the OpenAPI document the deployer's routes declare (built without a server). CI
// regenerates it and fails when the committed file differs: a route change must come with its types.

import { spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { ROOT, writeOpenApiDocument } from "./lib/openapi-document.ts";

const OUT = join(ROOT, "platform/api-client/schema.gen.ts");
const HEADER = `// Generated from the control API's OpenAPI document by openapi-typescript: do not edit.
// Regenerate with \`npm run generate:api-client\` after changing a route (CI fails when this file is stale).

`;

const { document } = await writeOpenApiDocument();
// openapi-typescript's types are structural copies of the document; it does not need it to be a class instance.
const ast = await openapiTS(document as Parameters<typeof openapiTS>[0]);
await writeFile(OUT, HEADER + astToString(ast));
// The tree's own format (Biome), so the file reads like the rest and the CI comparison is byte for byte.
const biome = join(ROOT, "node_modules/@biomejs/biome/bin/biome");
const format = spawnSync(process.execPath, [biome, "format", "--write", OUT], { stdio: "inherit" });
if (format.status !== 0) process.exit(format.status ?? 1);
console.log(`wrote ${OUT}`);
