// sanitize-html: strip scripts and event handlers, keep allowed tags.
import sanitizeHtml from "sanitize-html";

export default async function run() {
  const dirty = '<p onclick="x()">Hi <b>there</b><script>alert(1)</script><a href="javascript:evil()">link</a></p>';
  return { clean: sanitizeHtml(dirty) };
}
