// @anthropic-ai/sdk: a messages request built by the SDK, sent through the platform's egress to the test
// upstream's echo (the SDK's `fetch` option), so the answer shows what the SDK sent.
import Anthropic from "@anthropic-ai/sdk";

let sentTo = "";
const client = new Anthropic({
  apiKey: "sk-ant-test",
  baseURL: "https://api.anthropic.example",
  fetch: (url, init) => {
    sentTo = String(url);
    return fetch("https://upstream.test/echo", init);
  },
});

export default async function run() {
  const echo = (await client.messages.create({
    model: "claude-test",
    max_tokens: 16,
    messages: [{ role: "user", content: "hi" }],
  })) as unknown as { method: string; body: string; headers: Record<string, string> };
  return {
    sentTo,
    method: echo.method,
    body: JSON.parse(echo.body),
    headerNames: Object.keys(echo.headers)
      .filter((h) => !h.startsWith("x-stainless"))
      .sort(),
    version: echo.headers["anthropic-version"],
  };
}
