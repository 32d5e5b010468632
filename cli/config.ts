// Where `pulse login` keeps the platform URL and token: $PULSE_CONFIG_DIR, else $XDG_CONFIG_HOME/pulse, else
// ~/.config/pulse. The file is written with mode 0600: it holds a credential.

import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { CliError, EXIT } from "./errors.ts";

export interface CliConfig {
  url: string;
  token: string;
}

export function configDir(): string {
  return process.env.PULSE_CONFIG_DIR ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "pulse");
}

export function configPath(): string {
  return join(configDir(), "config.json");
}

export async function saveConfig(config: CliConfig): Promise<string> {
  await mkdir(configDir(), { recursive: true, mode: 0o700 });
  const path = configPath();
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}

export async function loadConfig(): Promise<CliConfig> {
  // Environment first, so scripts and CI need no file.
  if (process.env.PULSE_URL && process.env.PULSE_TOKEN)
    return { url: process.env.PULSE_URL, token: process.env.PULSE_TOKEN };
  try {
    return JSON.parse(await readFile(configPath(), "utf8")) as CliConfig;
  } catch {
    throw new CliError("Not logged in", {
      exitCode: EXIT.auth,
      hint: "run `pulse login --url <platform url> --token <token>` (or set PULSE_URL and PULSE_TOKEN)",
    });
  }
}
