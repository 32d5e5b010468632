// The fake Cloudflare API as a Worker: one instance per test run (module state of a single isolate), so the
// deployer's uploads and the stand-in's loads see the same namespace. `/__namespace/{ns}/{script}` is not part
// of Cloudflare's API: it is how the stand-in of the dispatch namespace binding reads an uploaded script.

import { FakeCloudflareApi, NAMESPACE } from "../support/fake-cloudflare-api.ts";

const api = new FakeCloudflareApi();
const SCRIPT_PATH = `/__namespace/${NAMESPACE}/`;

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith(SCRIPT_PATH)) {
      const script = api.scripts.get(decodeURIComponent(pathname.slice(SCRIPT_PATH.length)));
      return script ? Response.json(script) : new Response("no such script", { status: 404 });
    }
    return api.handle(request);
  },
} satisfies ExportedHandler;
