// marked: markdown to HTML.
import { marked } from "marked";

export default async function run() {
  return { html: await marked.parse("# x\n\nSome *emphasis* and `code`.\n\n- a\n- b\n") };
}
