// What the CLI can fail with, and the exit code each failure means (documented in `pulse --help`).

export const EXIT = {
  ok: 0,
  failed: 1 /* the API refused or something went wrong */,
  usage: 2 /* wrong arguments or missing configuration */,
  auth: 3 /* no token, or the token was refused */,
  build: 4 /* the pulse did not build */,
} as const;

export class CliError extends Error {
  override readonly name = "CliError";
  readonly exitCode: number;
  readonly hint: string | undefined;
  readonly details: unknown;
  constructor(message: string, options: { exitCode?: number; hint?: string; details?: unknown } = {}) {
    super(message);
    this.exitCode = options.exitCode ?? EXIT.failed;
    this.hint = options.hint;
    this.details = options.details;
  }
}
