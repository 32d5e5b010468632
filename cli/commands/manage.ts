// Everything after the first deploy: list, invoke, logs, versions, promote, rollback, secrets, schedules, usage,
// delete.

import type { Command } from "commander";
import { apiClient, bodyOf, type ApiClient, type LogPage } from "../api-client.ts";
import { loadConfig } from "../config.ts";
import { CliError, EXIT } from "../errors.ts";
import { printChanges, printHeld } from "../capabilities.ts";
import { pc, type Output } from "../output.ts";
import { callPulse } from "../pulse-http.ts";

const api = async (): Promise<ApiClient> => apiClient(await loadConfig());
const time = (iso: string) => iso.replace("T", " ").slice(0, 19);

export function registerManage(program: Command, out: () => Output): void {
  program
    .command("list")
    .description("your pulses")
    .action(async () => {
      const { pulses } = await bodyOf((await api()).GET("/v1/pulses"));
      out().result(pulses, () => {
        if (pulses.length === 0) out().line("No pulses yet: `pulse init` then `pulse deploy`");
        for (const p of pulses)
          out().line(
            `${pc.bold(p.name.padEnd(24))} ${p.activeVersionId ? p.activeVersionId.slice(0, 12) : pc.dim("not deployed")}  ${p.url}`,
          );
      });
    });

  program
    .command("invoke <pulse> [json]")
    .description("call a pulse as an end user would: GET, or POST with the JSON given")
    .option("--path <path>", "path and query to call", "/")
    .action(async (name: string, json: string | undefined, opts: { path: string }) => {
      if (json !== undefined) {
        try {
          JSON.parse(json);
        } catch {
          throw new CliError("The input is not valid JSON", {
            exitCode: EXIT.usage,
            hint: `quote it for your shell, e.g. '{"name":"ada"}'`,
          });
        }
      }
      const pulse = await bodyOf((await api()).GET("/v1/pulses/{name}", { params: { path: { name } } }));
      const answer = await callPulse(pulse.url, opts.path, json);
      let body: unknown = answer.body;
      try {
        body = JSON.parse(answer.body);
      } catch {
        // not JSON: keep the text
      }
      const requestId = answer.headers["x-pulse-request-id"];
      out().result({ status: answer.status, requestId, body }, () => {
        out().line(
          `${answer.status < 400 ? pc.green(String(answer.status)) : pc.red(String(answer.status))} ${pc.dim(`request ${requestId}`)}`,
        );
        out().line(typeof body === "string" ? body : JSON.stringify(body, null, 2));
      });
      if (answer.status >= 400) process.exitCode = EXIT.failed;
    });

  program
    .command("logs <pulse>")
    .description("a pulse's recent log lines; --tail follows new ones live")
    .option("--tail", "keep streaming new lines")
    .option("--limit <n>", "how many recent lines", "100")
    .action(async (name: string, opts: { tail?: boolean; limit: string }) => {
      const client = await api();
      const print = (e: {
        ts: number;
        level: string;
        requestId: string | null;
        message: string;
        data?: { stack?: string };
      }) => {
        if (out().json) return process.stdout.write(`${JSON.stringify(e)}\n`);
        const colour =
          e.level === "error" || e.level === "exception"
            ? pc.red
            : e.level === "warn"
              ? pc.yellow
              : e.level === "request"
                ? pc.cyan
                : (s: string) => s;
        out().line(
          `${pc.dim(new Date(e.ts).toISOString().slice(11, 23))} ${colour(e.level.padEnd(9))} ${pc.dim((e.requestId ?? "").slice(0, 8))} ${e.message}${e.data?.stack ? `\n${pc.dim(e.data.stack)}` : ""}`,
        );
      };
      const { logs } = (await bodyOf(
        client.GET("/v1/pulses/{name}/logs", {
          params: { path: { name }, query: { limit: Number(opts.limit) || 100 } },
        }),
      )) as LogPage;
      for (const e of logs) print(e);
      if (!opts.tail) return;
      const { data: stream, response } = await client.GET("/v1/pulses/{name}/logs", {
        params: { path: { name }, query: { tail: "1" } },
        headers: { accept: "text/event-stream" },
        parseAs: "stream",
      });
      if (!stream) throw new CliError(`Cannot tail the logs (${response.status})`);
      const decoder = new TextDecoder();
      let buffer = "";
      // Node's web streams are async iterable; the lib types the client is checked against do not say so.
      for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split("\n").find((l) => l.startsWith("data: "));
          if (data) print(JSON.parse(data.slice(6)));
        }
      }
    });

  program
    .command("versions <pulse>")
    .description("versions, newest first")
    .action(async (name: string) => {
      const { versions } = await bodyOf(
        (await api()).GET("/v1/pulses/{name}/versions", { params: { path: { name } } }),
      );
      out().result(versions, () => {
        for (const v of versions)
          out().line(
            `${v.active ? pc.green("● live") : "      "} ${pc.bold(v.id.slice(0, 12))}  ${time(v.createdAt)}  ${v.sizeBytes} bytes  ${pc.dim(v.createdBy ?? "")}`,
          );
      });
    });

  program
    .command("promote <pulse> <version>")
    .description("make an uploaded version live")
    .action(async (name: string, version: string) => {
      const result = await bodyOf(
        (await api()).POST("/v1/pulses/{name}/deployments", {
          params: { path: { name } },
          body: { versionId: version },
        }),
      );
      out().result(result, () => {
        if (result.approval) return printHeld(out(), result.approval);
        out().line(
          result.changed
            ? `${pc.green("✓")} ${result.deployment!.versionId.slice(0, 12)} is live`
            : "That version is already live",
        );
        if (result.changed) printChanges(out(), result.diff);
      });
    });

  program
    .command("rollback <pulse> [version]")
    .description("back to the previous version, or to the one named")
    .action(async (name: string, version: string | undefined) => {
      const result = await bodyOf(
        (await api()).POST("/v1/pulses/{name}/rollback", {
          params: { path: { name } },
          body: version ? { versionId: version } : undefined,
        }),
      );
      out().result(result, () => {
        if (result.approval) return printHeld(out(), result.approval);
        out().line(`${pc.green("✓")} rolled back to ${pc.bold(result.deployment!.versionId.slice(0, 12))}`);
        printChanges(out(), result.diff);
      });
    });

  const secrets = program.command("secrets").description("a pulse's secrets: values go in, never come out");
  secrets
    .command("set <pulse> <NAME>")
    .description("set a secret; --value or standard input")
    .option("--host <host...>", "hosts the value may be sent to (repeat or list); optional with --sign")
    .option("--value <value>", "the value (default: read from standard input)")
    .option("--allow-url", "also substitute references in URLs")
    .option("--allow-body", "also substitute references in request bodies")
    .option("--sign", "let the pulse sign and verify with it through env.crypto (HMAC, HS256 JWT)")
    .action(
      async (
        name: string,
        secret: string,
        opts: { host?: string[]; value?: string; allowUrl?: boolean; allowBody?: boolean; sign?: boolean },
      ) => {
        if (!opts.host?.length && !opts.sign)
          throw new CliError("No --host given", {
            exitCode: EXIT.usage,
            hint: "list the hosts the value may be sent to, or use --sign for a signing-only secret",
          });
        const value = opts.value ?? (await readStdin());
        if (!value)
          throw new CliError("No value given", {
            exitCode: EXIT.usage,
            hint: "use --value, or pipe it: echo -n $KEY | pulse secrets set ...",
          });
        const body = {
          value,
          hosts: opts.host ?? [],
          allowInUrl: Boolean(opts.allowUrl),
          allowInBody: Boolean(opts.allowBody),
          allowSigning: Boolean(opts.sign),
        };
        const info = await bodyOf(
          (await api()).PUT("/v1/pulses/{name}/secrets/{secret}", { params: { path: { name, secret } }, body }),
        );
        const sent = info.hosts.length ? `sent only to ${info.hosts.join(", ")}` : "sent nowhere";
        const signs = info.allowSigning ? `; signs through env.crypto` : "";
        out().result(info, () =>
          out().line(`${pc.green("✓")} ${secret} set; ${sent}${signs}. In code: env.secrets.${secret}`),
        );
      },
    );
  secrets
    .command("list <pulse>")
    .description("names and hosts")
    .action(async (name: string) => {
      const { secrets: list } = await bodyOf(
        (await api()).GET("/v1/pulses/{name}/secrets", { params: { path: { name } } }),
      );
      out().result(list, () => {
        if (list.length === 0) out().line("No secrets");
        for (const s of list)
          out().line(
            `${pc.bold(s.name.padEnd(24))} ${s.hosts.join(", ")}${s.allowInUrl ? " +url" : ""}${s.allowInBody ? " +body" : ""}${s.allowSigning ? " +sign" : ""}`,
          );
      });
    });
  secrets
    .command("rm <pulse> <NAME>")
    .description("delete a secret")
    .action(async (name: string, secret: string) => {
      const result = await bodyOf(
        (await api()).DELETE("/v1/pulses/{name}/secrets/{secret}", { params: { path: { name, secret } } }),
      );
      out().result(result, () => out().line(`${pc.green("✓")} ${secret} deleted`));
    });

  program
    .command("schedules <pulse>")
    .description("a pulse's schedule and its recent runs; --set, --clear, --pause or --resume change it")
    .option(
      "--set <cron...>",
      'override the version\'s schedule export, e.g. --set "0 * * * *" "30 2 * * 1" (5 fields, UTC)',
    )
    .option("--clear", "drop the override: the live version's export applies again")
    .option("--pause", "keep the expressions, run nothing")
    .option("--resume", "run again (from now: occurrences during the pause are not owed)")
    .option("--runs <n>", "how many recent runs", "10")
    .action(
      async (
        name: string,
        opts: { set?: string[]; clear?: boolean; pause?: boolean; resume?: boolean; runs: string },
      ) => {
        if ((opts.set && opts.clear) || (opts.pause && opts.resume))
          throw new CliError("Conflicting options", {
            exitCode: EXIT.usage,
            hint: "--set or --clear, --pause or --resume",
          });
        const client = await api();
        const change = {
          ...(opts.set ? { schedule: opts.set } : opts.clear ? { schedule: null } : {}),
          ...(opts.pause ? { paused: true } : opts.resume ? { paused: false } : {}),
        };
        if (Object.keys(change).length > 0)
          await client.PUT("/v1/pulses/{name}/schedules", { params: { path: { name } }, body: change });
        const s = await bodyOf(
          client.GET("/v1/pulses/{name}/schedules", {
            params: { path: { name }, query: { runs: Math.min(200, Math.max(1, Number(opts.runs) || 10)) } },
          }),
        );
        out().result(s, () => {
          if (s.source === "none")
            out().line(`No schedule: export one (export const schedule = "0 * * * *") or use --set`);
          else
            out().line(
              `${pc.bold(s.schedule.join("  ") || "(none)")}  ${pc.dim(`from the ${s.source === "override" ? "override" : "live version"}, UTC`)}${s.paused ? pc.yellow("  paused") : ""}`,
            );
          out().line(
            `next run ${s.nextRunAt ? time(s.nextRunAt) : "none"}  ${pc.dim(`(plan minimum: every ${s.minIntervalSeconds} s)`)}`,
          );
          for (const r of s.runs) {
            const colour = r.outcome === "ok" ? pc.green : r.outcome.startsWith("skipped") ? pc.yellow : pc.red;
            out().line(
              `${time(r.scheduledTime)}  ${colour(r.outcome.padEnd(20))} ${r.ms === null ? "" : `${r.ms} ms`}${r.missed ? pc.dim(`  ${r.missed} missed`) : ""}  ${pc.dim(r.requestId.slice(0, 8))}${r.detail ? `  ${r.detail}` : ""}`,
            );
          }
        });
      },
    );

  program
    .command("usage <pulse>")
    .description("requests, errors, KV operations, subrequests and wall time per day")
    .action(async (name: string) => {
      const result = await bodyOf((await api()).GET("/v1/pulses/{name}/usage", { params: { path: { name } } }));
      out().result(result, () => {
        if (result.usage.length === 0) out().line(`No usage between ${result.from} and ${result.to}`);
        for (const u of result.usage)
          out().line(
            `${u.day}  ${String(u.requests).padStart(7)} requests  ${String(u.errors).padStart(5)} errors  ${String(u.kvOps).padStart(7)} KV ops  ${String(u.subrequests).padStart(6)} subrequests  ${u.wallMs} ms`,
          );
      });
    });

  program
    .command("delete <pulse>")
    .description("delete a pulse with its versions, KV keys, database, secrets and logs")
    .option("--yes", "do not ask")
    .action(async (name: string, opts: { yes?: boolean }) => {
      if (!opts.yes)
        throw new CliError(`Deleting ${name} removes all its data`, {
          exitCode: EXIT.usage,
          hint: `repeat with --yes: pulse delete ${name} --yes`,
        });
      const result = await bodyOf((await api()).DELETE("/v1/pulses/{name}", { params: { path: { name } } }));
      out().result(result, () => out().line(`${pc.green("✓")} ${name} deleted (${result.kvKeysDeleted} KV keys)`));
    });
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, "");
}
