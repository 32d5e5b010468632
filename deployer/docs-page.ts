// A human-readable page for the API, rendered from the same OpenAPI document (no external assets: it works
// offline and leaks nothing to third parties).

interface OpenApiDoc {
  info: { title: string; version: string; description?: string };
  paths: Record<
    string,
    Record<
      string,
      {
        summary?: string;
        description?: string;
        requestBody?: unknown;
        responses?: Record<string, { description?: string }>;
      }
    >
  >;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function renderDocsPage(doc: OpenApiDoc): string {
  const sections = Object.entries(doc.paths)
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => {
        const responses = Object.entries(op.responses ?? {})
          .map(([status, r]) => `<li><code>${escapeHtml(status)}</code> ${escapeHtml(r.description ?? "")}</li>`)
          .join("");
        return `<section><h2><span class="m">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h2>
<p><strong>${escapeHtml(op.summary ?? "")}</strong></p>${op.description ? `<p>${escapeHtml(op.description)}</p>` : ""}
<ul>${responses}</ul></section>`;
      }),
    )
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
section{border-top:1px solid #ddd;padding:.5rem 0}h2{font-size:1.05rem;margin:.5rem 0}.m{display:inline-block;min-width:4.5rem;font-weight:700}
code{background:#f4f4f4;padding:0 .25rem;border-radius:3px}</style></head><body>
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>${escapeHtml(doc.info.description ?? "")}</p>
<p>Machine-readable: <a href="/v1/openapi.json"><code>/v1/openapi.json</code></a>. Authenticate with <code>Authorization: Bearer &lt;token&gt;</code>.
Errors are always <code>{"error":{"code","message","requestId"}}</code>.</p>
${sections}
</body></html>`;
}
