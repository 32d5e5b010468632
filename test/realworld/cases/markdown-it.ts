// markdown-it: render with linkify and typographer on.
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ linkify: true });

export default async function run() {
  return { html: md.render("## Title\n\nSee https://example.com and **bold**."), inline: md.renderInline("__x__") };
}
