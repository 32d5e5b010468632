// Runs the `pulse` CLI as a subprocess, the way a developer does, with its own config directory.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./platform-process.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function cliRunner(configDir: string) {
  const pulse = (args: string[], input?: string): CliRun => {
    const res = spawnSync(process.execPath, [join(ROOT, "cli/main.ts"), ...args], {
      env: { ...process.env, PULSE_CONFIG_DIR: configDir, NO_COLOR: "1" },
      input,
      encoding: "utf8",
      timeout: 60_000,
    });
    return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
  };
  const json = (args: string[]) => {
    const res = pulse([...args, "--json"]);
    return { ...res, body: JSON.parse(res.stdout) };
  };
  return { pulse, json };
}
