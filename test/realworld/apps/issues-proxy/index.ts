// A proxy in front of a GitHub-style API: it adds the token (a secret: the pulse holds only a reference, the
// platform puts the value in the header on the way out, for the secret's allowed host only) and trims the
// answer to what its clients need. The test points it at the platform's dev upstream (upstream.test).
import { Hono } from "hono";

interface Env {
  secrets: Record<string, string>;
}

const API = "https://upstream.test";

const app = new Hono<{ Bindings: Env }>();

app.get("/issues/:owner/:repo", async (c) => {
  const { owner, repo } = c.req.param();
  const res = await fetch(`${API}/repos/${owner}/${repo}/issues`, {
    headers: { authorization: `Bearer ${c.env.secrets.GITHUB_TOKEN}`, accept: "application/vnd.github+json" },
  });
  if (!res.ok) return c.json({ error: `upstream answered ${res.status}` }, 502);
  const issues = (await res.json()) as { number: number; title: string }[];
  return c.json(issues.map((i) => ({ number: i.number, title: i.title })));
});

// What the upstream received, to show the token arrived (its SHA-256) while the answer never carries it.
app.get("/whoami", async (c) => {
  const res = await fetch(`${API}/echo`, { headers: { authorization: `Bearer ${c.env.secrets.GITHUB_TOKEN}` } });
  return c.json(await res.json());
});

export default async function run(_input: unknown, env: Env, ctx: { request: Request }) {
  return app.fetch(ctx.request, env);
}
