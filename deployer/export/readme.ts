// The README of an exported project: how to run it, import its data and deploy it to your own account, and
// what differs from the platform. Commands are the ones the export test runs (with --local).

import { EXPORT_PATHS, type ExportInput } from "./project.ts";

export function exportReadme(input: ExportInput & { secretBindings: string[] }): string {
  const { name } = input.pulse;
  const db = `${name}-db`;
  const out: string[] = [
    `# ${name}`,
    "",
    `Pulse \`${name}\` (id \`${input.pulse.id}\`), version \`${input.versionId}\`, exported from Pulse as a plain Cloudflare Worker.`,
    `It keeps the \`run(input, env, ctx)\` contract and the error shape: \`worker.ts\` serves the pulse through the`,
    `runtime in \`${EXPORT_PATHS.runtime}/\` (source, no dependency on Pulse), with \`env.kv\` on its own KV namespace`,
    input.sql
      ? `and \`env.db\` / \`env.Pro_User_Binding\` (same \`query\`, \`batch\`, \`exec\`) on a D1 database.`
      : `(the pulse's plan had no SQL, so there is no \`env.db\`).`,
    "",
    input.code.kind === "source"
      ? `The pulse's own source is in \`${EXPORT_PATHS.pulse}/\` (main: \`${EXPORT_PATHS.pulse}/${input.code.source.main}\`).`
      : `**This version was built before Pulse kept sources**, so only its built bundle is here (\`${EXPORT_PATHS.bundle}\`, the platform's runtime included). Deploy the pulse again from source on Pulse and export that version to get the source.`,
    "",
    "## Run it locally",
    "",
    "```sh",
    "npm install",
    `npx wrangler kv bulk put ${EXPORT_PATHS.kvData} --binding kv --local`,
  ];
  if (input.sql) out.push(`npx wrangler d1 execute ${db} --local --file ${EXPORT_PATHS.sqlData} --yes`);
  if (input.secretBindings.length) out.push("cp .dev.vars.example .dev.vars   # then fill in the values");
  out.push("npx wrangler dev", "```", "", "## Deploy it to your Cloudflare account", "", "```sh", "npx wrangler login");
  out.push(
    `npx wrangler deploy            # creates the KV namespace${input.sql ? " and the D1 database" : ""} (ids written back to wrangler.jsonc)`,
  );
  out.push(`npx wrangler kv bulk put ${EXPORT_PATHS.kvData} --binding kv --remote`);
  if (input.sql) out.push(`npx wrangler d1 execute ${db} --remote --file ${EXPORT_PATHS.sqlData} --yes`);
  for (const s of input.secretBindings) out.push(`npx wrangler secret put ${s}`);
  out.push("```", "");

  out.push("## Data", "");
  out.push(
    `- \`${EXPORT_PATHS.kvData}\`: ${input.kv.keys} KV keys, without the platform's prefix, with their metadata and expiration, in the format \`wrangler kv bulk put\` reads (values that are not UTF-8 text are base64 with \`"base64": true\`).` +
      (input.kv.complete ? "" : " **Incomplete**: the export stopped at its size bounds; copy the rest yourself."),
  );
  if (input.sql) {
    out.push(
      `- \`${EXPORT_PATHS.sqlData}\`: the pulse's SQLite database (${input.sql.tables} tables, ${input.sql.rows} rows) as statements for \`wrangler d1 execute --file\` (schema, rows as INSERTs, then indexes and triggers).` +
        (input.sql.complete ? "" : " **Incomplete**: rows stop at the export's size bound; the schema is complete."),
    );
  }
  out.push(
    "- Both are a snapshot taken at export time. Keys whose expiration is less than 60 s away at import are refused by KV.",
    "",
  );

  if (input.secretBindings.length) {
    out.push(
      "## Secrets",
      "",
      "Set each of these with `npx wrangler secret put NAME` (and in `.dev.vars` for `wrangler dev`). Values are never exported:",
      "",
    );
    for (const s of input.secretBindings) out.push(`- \`${s}\``);
    out.push(
      "",
      "On Pulse, `env.secrets.NAME` was an opaque reference that the platform replaced with the value only for the secret's allowed hosts; here it is the value itself, with no host restriction.",
      "",
    );
  }

  out.push(
    "## What differs from Pulse",
    "",
    "- No plan limits (KV operations, body size, rate, wall time) and no egress policy: your account's Workers limits apply.",
    "- Logs: `npx wrangler tail` (or the dashboard) instead of `pulse logs`.",
    `- \`env.VIBE_ID\` keeps the pulse's id (\`${input.pulse.id}\`).`,
  );
  if (input.sql)
    out.push("- `env.db.exec()` resolves with `rowsRead`/`rowsWritten` of 0: D1's `exec()` does not report them.");
  out.push("");
  return out.join("\n");
}
