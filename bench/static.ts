// The bench's static part: one file served from a pulse's public/ files through the dispatcher, next to a plain
// Worker answering the same bytes with the same headers (a string in its script: no storage at all, the upper
// bound). Deployed through the control API as a developer would, so the version's manifest and file come
// from the bucket like in production; after the first request both sit in the dispatcher isolate's caches.

/** ~4 KiB of HTML: a typical small page. */
export const STATIC_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title></head><body>${"<p>static file bench</p>".repeat(170)}</body></html>`;
const STATIC_PATH = "/index.html";
export const STATIC_PULSE = "static-site";

/**
 * A branch for the plain baseline Worker's fetch(): the same page and headers as the platform's answer. A
 * suffix test, so the other baselines (which never match it) pay nothing like a URL parse for it.
 */
export function plainStaticBranch(): string {
  const headers = {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "public, no-cache",
    etag: '"bench"',
    "x-content-type-options": "nosniff",
  };
  return `if (request.url.endsWith(${JSON.stringify(STATIC_PATH)})) return new Response(${JSON.stringify(STATIC_PAGE)}, { headers: ${JSON.stringify(headers)} });`;
}

/** Creates the pulse and deploys a version whose public/ holds the page (run() answers everything else). */
export async function deployStaticSite(origin: URL, token: string): Promise<void> {
  const call = async (path: string, body: unknown) => {
    const res = await fetch(new URL(path, origin), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`bench static site: ${path} answered ${res.status} ${await res.text()}`);
  };
  await call("/v1/pulses", { name: STATIC_PULSE });
  await call(`/v1/pulses/${STATIC_PULSE}/versions`, {
    files: { "index.js": "export default async function run() { return { ok: true }; }" },
    main: "index.js",
    staticFiles: { files: { [STATIC_PATH.slice(1)]: Buffer.from(STATIC_PAGE).toString("base64") } },
    deploy: true,
  });
}

export interface StaticTargets {
  plain: { name: string; url: string };
  pulse: { name: string; url: string; host: string };
}

export function staticTargets(plainOrigin: string, origin: string): StaticTargets {
  return {
    plain: { name: "plain Worker serving the file", url: `${plainOrigin}${STATIC_PATH}` },
    pulse: {
      name: "static file via dispatcher",
      url: `${origin}${STATIC_PATH}`,
      host: `${STATIC_PULSE}.pulses.localhost`,
    },
  };
}
