// `pulse`: the developer's CLI over the control-plane API. Errors are one line and a hint (a stack only
// with --debug); --json prints one JSON document; the exit code says what kind of failure it was.

import { Command, CommanderError } from "commander";
import { registerAuth } from "./commands/auth.ts";
import { registerDomains } from "./commands/domains.ts";
import { registerMcp } from "./commands/mcp.ts";
import { registerExport } from "./commands/export.ts";
import { registerFiles } from "./commands/files.ts";
import { registerCanary } from "./commands/canary.ts";
import { registerManage } from "./commands/manage.ts";
import { registerProject } from "./commands/project.ts";
import { registerPreview } from "./commands/preview.ts";
import { CliError, EXIT } from "./errors.ts";
import { createOutput, pc, type Output } from "./output.ts";

const program = new Command("pulse")
  .description("Deploy and run pulses: export default async function run(input, env, ctx)")
  .option("--json", "print results as JSON")
  .option("--debug", "print stacks on failure")
  .showHelpAfterError()
  .exitOverride()
  .addHelpText(
    "after",
    `\nExit codes: ${EXIT.ok} ok, ${EXIT.failed} failed, ${EXIT.usage} usage, ${EXIT.auth} not logged in or token refused, ${EXIT.build} build failed`,
  );

let output: Output | undefined;
const out = () => (output ??= createOutput(program.opts<{ json?: boolean; debug?: boolean }>()));

registerAuth(program, out);
registerProject(program, out);
registerManage(program, out);
registerMcp(program);
registerExport(program, out);
registerPreview(program, out);
registerDomains(program, out);
registerFiles(program, out);
registerCanary(program, out);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error);
}

function report(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  const o = out();
  const cli = error instanceof CliError ? error : new CliError((error as Error)?.message ?? String(error));
  if (o.json) {
    process.stdout.write(
      `${JSON.stringify({ error: { message: cli.message, hint: cli.hint ?? null, ...(cli.details ? { details: cli.details } : {}) } }, null, 2)}\n`,
    );
  } else {
    process.stderr.write(`${pc.red("✗")} ${cli.message}\n`);
    if (cli.hint) process.stderr.write(`  ${pc.dim("hint:")} ${cli.hint}\n`);
    if (o.debug && error instanceof Error && error.stack) process.stderr.write(`${pc.dim(error.stack)}\n`);
  }
  return cli.exitCode;
}
