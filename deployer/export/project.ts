// A pulse as a standalone Worker project: the developer's source (or, for versions built before sources
// were kept, the platform bundle), the standalone runtime as source, a wrangler.jsonc with its own KV and D1,
// the data to import, and a README. Pure: everything it writes comes in as arguments.

import { PULSE_COMPATIBILITY_DATE, PULSE_COMPATIBILITY_FLAGS } from "../../platform/script-host.ts";
import type { VersionSource } from "../../platform/source-store.ts";
import { exportReadme } from "./readme.ts";
import { wranglerAssetsLines, type ExportedStaticFiles } from "./static-files.ts";

/** Where things go in the exported project. */
export const EXPORT_PATHS = {
  runtime: "runtime",
  pulse: "pulse",
  bundle: "pulse/bundle.js",
  kvData: "data/kv.json",
  sqlData: "data/db.sql",
} as const;

export interface ExportInput {
  pulse: { name: string; id: string };
  versionId: string;
  code: { kind: "source"; source: VersionSource } | { kind: "bundle"; bundle: string };
  /** The standalone runtime's files (deployer/generated/standalone-runtime.js), repo-relative paths. */
  runtime: Record<string, string>;
  secrets: string[];
  connections: string[];
  kv: { json: string; keys: number; complete: boolean };
  /** Present when the pulse's plan has SQL. */
  sql: { script: string; tables: number; rows: number; complete: boolean } | null;
  /** The version's static files (its text files join the project's files; the caller carries the binary ones). */
  staticFiles?: ExportedStaticFiles | null;
}

export function exportProject(input: ExportInput): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [path, text] of Object.entries(input.runtime)) files[`${EXPORT_PATHS.runtime}/${path}`] = text;
  if (input.code.kind === "source") {
    for (const [path, text] of Object.entries(input.code.source.files)) files[`${EXPORT_PATHS.pulse}/${path}`] = text;
  } else {
    files[EXPORT_PATHS.bundle] = input.code.bundle;
  }
  Object.assign(files, input.staticFiles?.text);
  files["worker.ts"] = entryModule(input);
  files["wrangler.jsonc"] = wranglerConfig(input);
  files["package.json"] = `${JSON.stringify(
    {
      name: input.pulse.name,
      private: true,
      type: "module",
      scripts: { dev: "wrangler dev", deploy: "wrangler deploy" },
      devDependencies: { wrangler: "^4.45.0" },
    },
    null,
    2,
  )}\n`;
  files[".gitignore"] = "node_modules/\n.wrangler/\n.dev.vars\n";
  files[EXPORT_PATHS.kvData] = input.kv.json;
  if (input.sql) files[EXPORT_PATHS.sqlData] = input.sql.script;
  const secretBindings = [...input.secrets, ...input.connections.map((n) => `connection_${n}`)];
  if (secretBindings.length) files[".dev.vars.example"] = `${secretBindings.map((n) => `${n}=`).join("\n")}\n`;
  files["README.md"] = exportReadme({ ...input, secretBindings });
  return files;
}

function entryModule(input: ExportInput): string {
  const options = JSON.stringify({ vibeId: input.pulse.id, secrets: input.secrets, connections: input.connections });
  const runtime = `./${EXPORT_PATHS.runtime}/runtime-shim`;
  const head = `// Entry of this Worker: pulse "${input.pulse.name}" (version ${input.versionId}) on the standalone runtime.\n`;
  if (input.code.kind === "source") {
    return `${head}import { serveStandalone } from "${runtime}/standalone.ts";\nimport run from ${JSON.stringify(`./${EXPORT_PATHS.pulse}/${input.code.source.main}`)};\n\nexport default serveStandalone(run, ${options});\n`;
  }
  return (
    `${head}// Only the platform bundle of this version was kept: it is served as it is, with fetch() restored first.\n` +
    `import "${runtime}/standalone-fetch.ts";\nimport { serveBundle } from "${runtime}/standalone.ts";\n// @ts-ignore: a built JavaScript module, without types\nimport pulse from "./${EXPORT_PATHS.bundle}";\n\n` +
    `export default serveBundle(pulse, ${options});\n`
  );
}

function wranglerConfig(input: ExportInput): string {
  const lines = [
    "{",
    `  "$schema": "node_modules/wrangler/config-schema.json",`,
    `  // Exported from Pulse: pulse "${input.pulse.name}", version ${input.versionId}. See README.md.`,
    `  "name": ${JSON.stringify(input.pulse.name)},`,
    `  "main": "worker.ts",`,
    `  "compatibility_date": ${JSON.stringify(PULSE_COMPATIBILITY_DATE)},`,
    `  // nodejs_compat: the Node.js built-ins pulses may import, and the runtime's per-request context.`,
    `  "compatibility_flags": ${JSON.stringify(PULSE_COMPATIBILITY_FLAGS)},`,
    ...(input.staticFiles ? wranglerAssetsLines(input.staticFiles.manifest) : []),
    `  // env.kv. No id: wrangler (>= 4.45) creates the namespace on your account at the first deploy and writes`,
    `  // its id back here. https://developers.cloudflare.com/kv/concepts/kv-bindings/`,
    `  "kv_namespaces": [{ "binding": "kv" }]${input.sql ? "," : ""}`,
  ];
  if (input.sql) {
    lines.push(
      `  // env.db (and env.Pro_User_Binding): a D1 database, created the same way. https://developers.cloudflare.com/d1/`,
      `  "d1_databases": [{ "binding": "db", "database_name": ${JSON.stringify(`${input.pulse.name}-db`)} }]`,
    );
  }
  lines.push("}", "");
  return lines.join("\n");
}
