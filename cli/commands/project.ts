// pulse init, pulse deploy, pulse dev: from a folder on disk to a live pulse.

import type { Command } from "commander";
import { existsSync, watch } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { isValidPulseName } from "../../platform/names.ts";
import { apiClient, bodyOf, type ApiClient } from "../api-client.ts";
import { loadConfig } from "../config.ts";
import { CliError, EXIT } from "../errors.ts";
import { printChanges, printHeld, printScanWarnings } from "../capabilities.ts";
import { codeFrame, pc, type Diagnostic, type Output } from "../output.ts";
import {
  bundleWithDependencies,
  collectFiles,
  collectStaticFiles,
  hasNpmDependencies,
  readProject,
} from "../project.ts";
import { projectFiles, typesFile } from "../templates.ts";
import { deployWorkspace, refuseLocalOptions } from "./files.ts";
import { previewThenPromote } from "./preview.ts";
import { parseCanaryShare, printCanary, startCanary } from "./canary.ts";

export function registerProject(program: Command, out: () => Output): void {
  program
    .command("init [dir]")
    .description("write a starter pulse (handler, types for input/env/ctx, tsconfig)")
    .option("--name <name>", "the pulse's name (its subdomain); default: the folder's name")
    .action(async (dirArg: string | undefined, opts: { name?: string }) => {
      const dir = resolve(dirArg ?? ".");
      const name =
        opts.name ??
        basename(dir)
          .toLowerCase()
          .replace(/[^a-z0-9-]/g, "-");
      if (!isValidPulseName(name))
        throw new CliError(`"${name}" cannot be a pulse name`, {
          exitCode: EXIT.usage,
          hint: "use --name with a lowercase DNS label (a-z, 0-9, -)",
        });
      if (existsSync(join(dir, "pulse.json")))
        throw new CliError(`${dir} already has a pulse.json`, { exitCode: EXIT.usage });
      await mkdir(dir, { recursive: true });
      const files = { ...projectFiles(name), "pulse.d.ts": await typesFile() };
      for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
      out().result({ dir, name, files: Object.keys(files) }, () => {
        out().line(`${pc.green("✓")} Created pulse ${pc.bold(name)} in ${dir}`);
        out().line(`  next: ${pc.cyan(`pulse deploy ${dirArg ?? "."}`)}`);
      });
    });

  program
    .command("deploy [dir]")
    .description("build and upload the project; make it live unless --no-promote")
    .option("--name <name>", "deploy under this name instead of pulse.json's")
    .option("--no-promote", "upload and build only; make it live later with `pulse rollback <pulse> <version>`")
    .option(
      "--preview",
      "upload without making it live, replay recent traffic against it and show what would change, then promote (asks, or --yes)",
    )
    .option("--yes", "with --preview: promote without asking")
    .option("--from-workspace", "build the pulse's files workspace on the platform (`pulse files`), not a folder")
    .option(
      "--canary <percent>",
      "send this share of clients (1-50) to the new version; the platform promotes it or rolls it back",
    )
    .action(
      async (
        dirArg: string | undefined,
        opts: {
          name?: string;
          promote: boolean;
          preview?: boolean;
          yes?: boolean;
          fromWorkspace?: boolean;
          canary?: string;
        },
      ) => {
        const canaryShare = parseCanaryShare(opts.canary, opts);
        const dir = resolve(dirArg ?? ".");
        const project = opts.name
          ? { name: opts.name, main: existsSync(join(dir, "pulse.json")) ? (await readProject(dir)).main : "index.ts" }
          : await readProject(dir);
        if (opts.fromWorkspace) {
          refuseLocalOptions(opts);
          return deployWorkspace(out(), project.name, project.main, opts.promote);
        }
        const api = apiClient(await loadConfig());
        const files = await collectFiles(dir);
        const statics = await collectStaticFiles(dir);
        let upload = { files, main: project.main };
        if (await hasNpmDependencies(dir)) {
          const bundled = await out().step("Bundling npm dependencies locally", () =>
            bundleWithDependencies(dir, project.main),
          );
          if ("errors" in bundled) throw buildError(bundled.errors, files);
          if (bundled.minified)
            out().line(
              `  ${pc.yellow("!")} minified to fit the platform's source cap: the manifest cannot tell its packages apart`,
            );
          upload = bundled;
        }
        const existing = await ensurePulse(api, project.name);
        // A preview needs a live version to compare with; the first deploy goes live directly.
        const previewFirst = Boolean(opts.preview && opts.promote && existing.activeVersionId);
        let result: any;
        try {
          result = await out().step(`Building ${project.name}`, () =>
            bodyOf(
              api.POST("/v1/pulses/{name}/versions", {
                params: { path: { name: project.name } },
                body: { ...upload, ...statics, deploy: opts.promote && !previewFirst && canaryShare === undefined },
              }),
            ),
          );
        } catch (error) {
          const diagnostics = ((error as CliError).details as { details?: { diagnostics?: Diagnostic[] } } | undefined)
            ?.details?.diagnostics;
          if (diagnostics) throw buildError(diagnostics, upload.files);
          throw error;
        }
        out().line(
          `${pc.green("✓")} ${result.reused ? "Reused" : "Built"} version ${pc.bold(result.version.id.slice(0, 12))} (${result.version.sizeBytes} bytes, ${result.buildMs} ms)`,
        );
        printChanges(out(), result.diff);
        printScanWarnings(out(), result.version.manifest);
        let live = opts.promote && canaryShare === undefined;
        if (canaryShare !== undefined) {
          result = { ...result, canary: await startCanary(api, project.name, result.version.id, canaryShare) };
        }
        if (previewFirst) {
          const previewed = await previewThenPromote(api, out(), project.name, result.version.id, Boolean(opts.yes));
          result = {
            ...result,
            preview: previewed.preview,
            deployment: previewed.deployment,
            approval: previewed.approval,
          };
          live = previewed.promoted;
        }
        const pulse = await bodyOf(api.GET("/v1/pulses/{name}", { params: { path: { name: project.name } } }));
        out().result({ ...result, url: pulse.url }, () => {
          if (result.approval) printHeld(out(), result.approval);
          else if (result.canary) printCanary(out(), project.name, result.canary);
          else
            out().line(
              live
                ? `  live at ${pc.cyan(pulse.url)}`
                : `  not live yet: ${pc.cyan(`pulse promote ${project.name} ${result.version.id.slice(0, 12)}`)} makes it live`,
            );
        });
      },
    );

  program
    .command("dev [dir]")
    .description("run the pulse locally on the same runtime, reloading on every save")
    .option("--port <port>", "port on 127.0.0.1", "8788")
    .action(async (dirArg: string | undefined, opts: { port: string }) => {
      const dir = resolve(dirArg ?? ".");
      const project = await readProject(dir);
      // The platform's own local runner, in memory: same dispatcher, shim, scoped KV and SQL.
      const { startDev } = await import("../dev.ts");
      const dev = await startDev({
        dir,
        name: project.name,
        main: project.main,
        port: Number(opts.port),
        log: (line) => out().line(line),
      });
      out().line(`${pc.green("✓")} ${project.name} is running at ${pc.cyan(dev.url)} (watching ${dir}; Ctrl-C stops)`);
      const watcher = watch(dir, { recursive: true }, (_event, file) => {
        if (!file || file.startsWith("node_modules") || file.startsWith(".")) return;
        void dev.reload().then(
          (r) => out().line(r.ok ? `${pc.green("↻")} reloaded (${file})` : r.message),
          (e: unknown) => out().line(`${pc.red("reload failed")}: ${(e as Error).message}`),
        );
      });
      const stop = async () => {
        watcher.close();
        await dev.stop();
        process.exit(0);
      };
      process.on("SIGINT", () => void stop());
      process.on("SIGTERM", () => void stop());
    });
}

async function ensurePulse(api: ApiClient, name: string): Promise<{ activeVersionId: string | null }> {
  try {
    return await bodyOf(api.GET("/v1/pulses/{name}", { params: { path: { name } } }));
  } catch (error) {
    if (((error as CliError).details as { code?: string } | undefined)?.code !== "pulse_not_found") throw error;
    return bodyOf(api.POST("/v1/pulses", { body: { name } }));
  }
}

function buildError(diagnostics: Diagnostic[], files: Record<string, string>): CliError {
  return new CliError(`The pulse did not build:\n${diagnostics.map((d) => codeFrame(d, files)).join("\n")}`, {
    exitCode: EXIT.build,
    details: { diagnostics },
  });
}
