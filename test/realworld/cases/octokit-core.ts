// @octokit/core: a REST request to a GitHub-compatible base URL (the test upstream answers the issues of
// octo/demo for one token), and the RequestError of a refused token.
import { Octokit } from "@octokit/core";

const octokit = new Octokit({ baseUrl: "https://upstream.test", userAgent: "pulse-corpus" });
const route = "GET /repos/{owner}/{repo}/issues";

export default async function run() {
  const { status, data } = await octokit.request(route, {
    owner: "octo",
    repo: "demo",
    headers: { authorization: "Bearer ghp_test_token_123456" },
  });
  const refused = await octokit
    .request(route, { owner: "octo", repo: "demo", headers: { authorization: "Bearer wrong" } })
    .then(
      () => 0,
      (e: { status?: number }) => e.status,
    );
  return { status, titles: data.map((issue: { title: string }) => issue.title), refused };
}
