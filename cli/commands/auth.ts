// pulse login, pulse whoami.

import type { Command } from "commander";
import { apiClient, bodyOf } from "../api-client.ts";
import { loadConfig, saveConfig } from "../config.ts";
import { CliError, EXIT } from "../errors.ts";
import type { Output } from "../output.ts";
import { pc } from "../output.ts";

export function registerAuth(program: Command, out: () => Output): void {
  program
    .command("login")
    .description("store the platform URL and your token (checked against the platform first)")
    .requiredOption("--url <url>", "the platform's control-plane URL, e.g. http://127.0.0.1:8787")
    .requiredOption("--token <token>", "a developer or admin token")
    .action(async (opts: { url: string; token: string }) => {
      if (!/^https?:\/\//.test(opts.url))
        throw new CliError("--url must start with http:// or https://", { exitCode: EXIT.usage });
      const who = await out().step("Checking the token", () => bodyOf(apiClient(opts).GET("/v1/whoami")));
      const path = await saveConfig({ url: opts.url, token: opts.token });
      out().result({ ...who, config: path }, () =>
        out().line(`${pc.green("✓")} Logged in to ${opts.url} as ${describe(who)} (saved to ${path}, mode 0600)`),
      );
    });

  program
    .command("whoami")
    .description("who the stored token says you are")
    .action(async () => {
      const config = await loadConfig();
      const who = await bodyOf(apiClient(config).GET("/v1/whoami"));
      out().result({ ...who, url: config.url }, () => out().line(`${describe(who)} on ${config.url}`));
    });
}

function describe(who: { role: string; sub: string; tenant?: string }): string {
  return who.role === "admin" ? `${who.sub} (admin)` : `${who.sub} (developer of tenant ${who.tenant})`;
}
