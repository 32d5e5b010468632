// pulse export: a pulse as a standalone Worker project on disk (source, runtime, wrangler.jsonc, README,
// its KV data and SQL dump), ready for `wrangler dev` and `wrangler deploy` on the developer's own account.

import type { Command } from "commander";
import { existsSync } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { apiClient, bodyOf } from "../api-client.ts";
import { loadConfig } from "../config.ts";
import { CliError, EXIT } from "../errors.ts";
import { pc, type Output } from "../output.ts";

export function registerExport(program: Command, out: () => Output): void {
  program
    .command("export <pulse> [dir]")
    .description("write the pulse as a standalone Worker project with its data (default dir: <pulse>-standalone)")
    .option("--version <id>", "export this version instead of the live one")
    .option("--force", "write into a directory that is not empty")
    .action(async (name: string, dirArg: string | undefined, opts: { version?: string; force?: boolean }) => {
      const dir = resolve(dirArg ?? `${name}-standalone`);
      if (!opts.force && existsSync(dir) && (await readdir(dir)).length > 0) {
        throw new CliError(`${dir} is not empty`, {
          exitCode: EXIT.usage,
          hint: "pick another directory, or add --force to write over it",
        });
      }
      const api = apiClient(await loadConfig());
      const result = await out().step(`Exporting ${name}`, () =>
        bodyOf(
          api.GET("/v1/pulses/{name}/export", {
            params: { path: { name }, query: opts.version ? { version: opts.version } : {} },
          }),
        ),
      );
      // Static files that are not text (images, fonts) come base64, beside the text files.
      const binaryFiles = (result as { binaryFiles?: Record<string, string> }).binaryFiles ?? {};
      const paths = [...Object.keys(result.files), ...Object.keys(binaryFiles)];
      for (const path of paths)
        if (!isSafeRelativePath(path)) throw new CliError(`The platform sent an unsafe path: ${JSON.stringify(path)}`);
      for (const path of paths) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        const text = Object.hasOwn(result.files, path) ? result.files[path]! : undefined;
        await writeFile(join(dir, path), text ?? Buffer.from(binaryFiles[path]!, "base64"));
      }
      const { files: _files, ...summary } = result;
      delete (summary as { binaryFiles?: unknown }).binaryFiles;
      out().result({ dir, ...summary, files: paths.sort() }, () => {
        out().line(
          `${pc.green("✓")} Exported ${pc.bold(name)} version ${result.versionId.slice(0, 12)} (from its ${result.from}) to ${dir}`,
        );
        const kv = result.data.kv;
        out().line(
          `  KV: ${kv.keys} keys${kv.complete ? "" : pc.yellow(" (partial)")}` +
            (result.data.sql
              ? `; SQL: ${result.data.sql.tables} tables, ${result.data.sql.rows} rows${result.data.sql.complete ? "" : pc.yellow(" (partial)")}`
              : ""),
        );
        for (const note of result.notes) out().line(`  ${pc.yellow("note:")} ${note}`);
        out().line(
          `  next: ${pc.cyan(`cd ${dirArg ?? `${name}-standalone`} && npm install && npx wrangler dev`)} (README.md: data import, deploy, secrets)`,
        );
      });
    });
}

/** Relative, forward slashes, no empty, "." or ".." segment: stays inside the target directory. */
export function isSafeRelativePath(path: string): boolean {
  if (path === "" || path.startsWith("/") || path.includes("\\") || path.includes("\0") || /^[a-zA-Z]:/.test(path))
    return false;
  return path.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}
