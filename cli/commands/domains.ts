// `pulse domains`: a pulse's custom domains. Add one and publish what the answer names, verify (with --wait,
// ask again until it passes), list, remove. See docs/custom-domains.md.

import type { Command } from "commander";
import { apiClient, bodyOf, type ApiClient } from "../api-client.ts";
import { loadConfig } from "../config.ts";
import { CliError, EXIT } from "../errors.ts";
import { pc, type Output } from "../output.ts";

/** Between two checks with --wait: 10 s (10,000 ms), as DNS answers are cached for about that long or more. */
const VERIFY_POLL_MS = 10_000;

const api = async (): Promise<ApiClient> => apiClient(await loadConfig());

type Domain = Awaited<ReturnType<typeof listDomains>>[number];

async function listDomains(client: ApiClient, name: string) {
  return (await bodyOf(client.GET("/v1/pulses/{name}/domains", { params: { path: { name } } }))).domains;
}

function printDomain(out: Output, domain: Domain): void {
  const status = domain.status === "verified" ? pc.green("verified") : pc.yellow("pending");
  out.line(`${pc.bold(domain.hostname)}  ${status}  ${pc.dim(domain.url)}`);
  if (domain.status === "verified") return;
  const { dns, http } = domain.challenge;
  if (dns) out.line(`  publish a TXT record  ${pc.bold(dns.name)}  =  ${dns.value}`);
  if (http) out.line(`  or serve  ${http.body}  at  ${http.url}`);
  if (domain.lastCheck) out.line(`  last check: ${domain.lastCheck}`);
}

const isNotVerified = (error: unknown) =>
  error instanceof CliError && (error.details as { code?: string } | undefined)?.code === "domain_not_verified";

export function registerDomains(program: Command, out: () => Output): void {
  const domains = program.command("domains").description("a pulse's custom domains (app.example.com)");

  domains
    .command("add <pulse> <hostname>")
    .description("claim a hostname for the pulse and show what to publish to prove it is yours")
    .action(async (name: string, hostname: string) => {
      const domain = await bodyOf(
        (await api()).POST("/v1/pulses/{name}/domains", { params: { path: { name } }, body: { hostname } }),
      );
      out().result(domain, () => {
        printDomain(out(), domain);
        out().line(pc.dim(`then: pulse domains verify ${name} ${domain.hostname}`));
      });
    });

  domains
    .command("verify <pulse> <hostname>")
    .description("check the proof now; --wait asks again until it passes")
    .option("--wait <seconds>", "keep checking for this long", "0")
    .action(async (name: string, hostname: string, opts: { wait: string }) => {
      const waitMs = Number(opts.wait) * 1000;
      if (!Number.isFinite(waitMs) || waitMs < 0)
        throw new CliError("--wait takes a number of seconds", { exitCode: EXIT.usage });
      const client = await api();
      const deadline = Date.now() + waitMs;
      for (;;) {
        try {
          const domain = await bodyOf(
            client.POST("/v1/pulses/{name}/domains/{hostname}/verify", { params: { path: { name, hostname } } }),
          );
          out().result(domain, () => printDomain(out(), domain));
          return;
        } catch (error) {
          if (!isNotVerified(error) || Date.now() + VERIFY_POLL_MS > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, VERIFY_POLL_MS));
        }
      }
    });

  domains
    .command("list <pulse>")
    .description("the pulse's custom domains, pending and verified")
    .action(async (name: string) => {
      const list = await listDomains(await api(), name);
      out().result(list, () => {
        if (list.length === 0) out().line(`No custom domains: pulse domains add ${name} app.example.com`);
        for (const domain of list) printDomain(out(), domain);
      });
    });

  domains
    .command("remove <pulse> <hostname>")
    .description("stop serving the pulse at this hostname (at once)")
    .action(async (name: string, hostname: string) => {
      const removed = await bodyOf(
        (await api()).DELETE("/v1/pulses/{name}/domains/{hostname}", { params: { path: { name, hostname } } }),
      );
      out().result(removed, () => out().line(`${pc.green("✓")} ${removed.hostname} removed`));
    });
}
