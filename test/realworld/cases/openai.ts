// openai: a chat completion request built by the SDK, sent through the platform's egress to the test upstream's
// echo (the SDK's `fetch` option), so the answer shows what the SDK sent.
import OpenAI from "openai";

let sentTo = "";
const client = new OpenAI({
  apiKey: "sk-test-openai",
  baseURL: "https://api.openai.example/v1",
  fetch: (url, init) => {
    sentTo = String(url);
    return fetch("https://upstream.test/echo", init);
  },
});

export default async function run() {
  const echo = (await client.chat.completions.create({
    model: "gpt-test",
    messages: [{ role: "user", content: "hi" }],
  })) as unknown as { method: string; body: string; headers: Record<string, string> };
  return { sentTo, method: echo.method, body: JSON.parse(echo.body), authorization: echo.headers.authorization };
}
