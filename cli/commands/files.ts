// `pulse files`: the pulse's files workspace on the platform (docs/workspace.md), one file at a time: list,
// get, put, rm, mv. Bytes go through untouched both ways (images and fonts too); `pulse deploy --from-workspace`
// builds the workspace into a version.

import type { Command } from "commander";
import { readFile, writeFile } from "node:fs/promises";
import {
  buildFromWorkspace,
  deleteWorkspaceFile,
  listWorkspace,
  readWorkspaceBytes,
  renameWorkspaceFile,
  writeWorkspaceBytes,
} from "../../platform/api-client/workspace-files.ts";
import { apiClient, bodyOf, type ApiClient } from "../api-client.ts";
import { printChanges, printHeld } from "../capabilities.ts";
import { loadConfig } from "../config.ts";
import { CliError, EXIT } from "../errors.ts";
import { pc, type Output } from "../output.ts";

const api = async (): Promise<ApiClient> => apiClient(await loadConfig());

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function registerFiles(program: Command, out: () => Output): void {
  const files = program
    .command("files")
    .description("the pulse's files workspace on the platform: a draft built with `pulse deploy --from-workspace`");

  files
    .command("ls <pulse>")
    .alias("list")
    .description("the workspace's files, by path")
    .action(async (pulse: string) => {
      const list = await listWorkspace(await api(), pulse);
      out().result(list, () => {
        if (list.length === 0) out().line(`The workspace is empty: pulse files put ${pulse} index.ts ./index.ts`);
        for (const f of list) out().line(`${String(f.size).padStart(9)}  ${pc.dim(f.updatedAt)}  ${f.path}`);
      });
    });

  files
    .command("get <pulse> <path>")
    .description("a file's bytes, to standard output or to --out")
    .option("-o, --out <file>", "write to this file instead of standard output")
    .action(async (pulse: string, path: string, opts: { out?: string }) => {
      const bytes = await readWorkspaceBytes(await api(), pulse, path);
      if (opts.out) {
        await writeFile(opts.out, bytes);
        out().result({ path, size: bytes.byteLength, out: opts.out }, () =>
          out().line(`${pc.green("✓")} ${path} -> ${opts.out} (${bytes.byteLength} bytes)`),
        );
      } else if (out().json) {
        out().result({ path, size: bytes.byteLength, base64: Buffer.from(bytes).toString("base64") }, () => {});
      } else {
        process.stdout.write(bytes);
      }
    });

  files
    .command("put <pulse> <path> [file]")
    .description("add or replace a file with a local file's bytes (standard input without [file])")
    .action(async (pulse: string, path: string, local: string | undefined) => {
      const bytes = local ? await readFile(local) : await readStdin();
      const stored = await writeWorkspaceBytes(await api(), pulse, path, bytes);
      out().result(stored, () => out().line(`${pc.green("✓")} ${stored.path} (${stored.size} bytes)`));
    });

  files
    .command("rm <pulse> <path>")
    .description("delete a file from the workspace")
    .action(async (pulse: string, path: string) => {
      const deleted = await deleteWorkspaceFile(await api(), pulse, path);
      out().result(deleted, () => out().line(`${pc.green("✓")} ${path} deleted`));
    });

  files
    .command("mv <pulse> <from> <to>")
    .description("rename (move) a file; a file already at <to> is replaced")
    .action(async (pulse: string, from: string, to: string) => {
      const moved = await renameWorkspaceFile(await api(), pulse, from, to);
      out().result(moved, () => out().line(`${pc.green("✓")} ${from} -> ${moved.path}`));
    });
}

/** `pulse deploy --from-workspace`: the platform builds the workspace; live at once unless `promote` is false. */
export async function deployWorkspace(o: Output, pulse: string, main: string, promote: boolean): Promise<void> {
  const client = await api();
  const result = await o.step(`Building ${pulse} from its workspace`, () =>
    buildFromWorkspace(client, pulse, { main, deploy: promote }),
  );
  o.line(`${pc.green("✓")} ${result.reused ? "Reused" : "Built"} version ${pc.bold(result.version.id.slice(0, 12))}`);
  printChanges(o, result.diff);
  const { url } = await bodyOf(client.GET("/v1/pulses/{name}", { params: { path: { name: pulse } } }));
  o.result({ ...result, url }, () => {
    if (result.approval) printHeld(o, result.approval);
    else o.line(promote ? `  live at ${pc.cyan(url)}` : "  not live yet (--no-promote)");
  });
}

/** --from-workspace builds on the platform: the local-only deploy options make no sense with it. */
export function refuseLocalOptions(opts: { preview?: boolean; canary?: string }): void {
  if (opts.preview)
    throw new CliError("--preview cannot be used with --from-workspace", {
      exitCode: EXIT.usage,
      hint: "deploy with --no-promote, then `pulse preview`",
    });
  if (opts.canary !== undefined)
    throw new CliError("--canary cannot be used with --from-workspace", {
      exitCode: EXIT.usage,
      hint: "build with --no-promote, then start it with POST /v1/pulses/{name}/deployments and a canary share",
    });
}
