// Open issues of a GitHub repository, with a token the pulse never sees: set it with
//   pulse secrets set github-example GITHUB_TOKEN --host api.github.com
// env.secrets.GITHUB_TOKEN is a reference; the outbound worker puts the real token in the header, for
// api.github.com only.
import type { PulseEnv } from "../../runtime-shim/contract.ts";

export default async function run(input: { repo?: string }, env: PulseEnv) {
  const repo = input.repo ?? "cloudflare/workerd";
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo))
    return new Response(JSON.stringify({ error: "repo must be owner/name" }), { status: 400 });
  const res = await fetch(`https://api.github.com/repos/${repo}/issues?state=open&per_page=5`, {
    headers: {
      authorization: `Bearer ${env.secrets.GITHUB_TOKEN}`,
      accept: "application/vnd.github+json",
      "user-agent": "pulse-example",
    },
  });
  if (!res.ok) return new Response(JSON.stringify({ error: `GitHub answered ${res.status}` }), { status: 502 });
  const issues = (await res.json()) as { number: number; title: string }[];
  return { repo, issues: issues.map((i) => ({ number: i.number, title: i.title })) };
}
