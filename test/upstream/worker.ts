// Test upstream: /echo reflects the request (the "echo service" a secret could leak through), /echo-gzip the
// Authorization header gzipped without saying so, /redirect
// redirects to ?to=, /loop redirects to itself, /status answers a status, /big a large body.

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/echo": {
        // The hash shows what arrived without the test needing the value back (which redaction would hide).
        const authorization = request.headers.get("authorization") ?? "";
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(authorization)));
        const authorizationSha256 = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
        return Response.json(
          {
            method: request.method,
            url: request.url,
            host: url.host,
            headers: Object.fromEntries(request.headers),
            body: await request.text(),
            authorizationSha256,
          },
          { headers: { "x-echo-authorization": authorization } },
        );
      }
      case "/echo-gzip":
        // The Authorization header gzipped and sent without Content-Encoding: an echo redaction cannot read.
        return new Response(
          new Blob([request.headers.get("authorization") ?? ""]).stream().pipeThrough(new CompressionStream("gzip")),
        );
      case "/repos/octo/demo/issues": {
        // Stands in for api.github.com in the examples test: answers only with the expected token.
        const ok = request.headers.get("authorization") === "Bearer ghp_test_token_123456";
        return ok
          ? Response.json([
              { number: 1, title: "First issue" },
              { number: 2, title: "Second issue" },
            ])
          : new Response("bad credentials", { status: 401 });
      }
      case "/loop":
        return new Response(null, { status: 302, headers: { location: "/loop" } });
      case "/redirect":
        return new Response(null, {
          status: Number(url.searchParams.get("status") ?? 302),
          headers: { location: url.searchParams.get("to") ?? "/echo" },
        });
      case "/status":
        return new Response(`status ${url.searchParams.get("code")}`, {
          status: Number(url.searchParams.get("code") ?? 200),
        });
      case "/big":
        return new Response("x".repeat(Number(url.searchParams.get("kb") ?? 1) * 1024));
      default:
        return Response.json({ ok: true, host: url.host });
    }
  },
};
