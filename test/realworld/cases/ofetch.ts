// ofetch: JSON body and query, parsed answer, FetchError on a 500.
import { FetchError, ofetch } from "ofetch";

export default async function run() {
  const echo = await ofetch<{ method: string; url: string; body: string }>("https://upstream.test/echo", {
    method: "POST",
    body: { n: 1 },
    query: { q: "x" },
  });
  const failed = await ofetch("https://upstream.test/status?code=500", { retry: 0 }).then(
    () => null,
    (e: FetchError) => e.status,
  );
  return { method: echo.method, url: echo.url, body: JSON.parse(echo.body), failed };
}
