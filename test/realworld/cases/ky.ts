// ky: a JSON POST with search params through the platform's egress to the test upstream's echo.
import ky from "ky";

export default async function run() {
  const echo = await ky
    .post("https://upstream.test/echo", { json: { hello: "ky" }, searchParams: { page: 2 } })
    .json<{ method: string; url: string; body: string; headers: Record<string, string> }>();
  const missing = await ky.get("https://upstream.test/status?code=404").then(
    () => 0,
    (e: { response?: Response }) => e.response?.status,
  );
  return {
    method: echo.method,
    url: echo.url,
    body: JSON.parse(echo.body),
    contentType: echo.headers["content-type"],
    missing,
  };
}
