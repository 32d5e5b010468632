// fast-xml-parser: XML to objects with attributes, and back.
import { XMLBuilder, XMLParser } from "fast-xml-parser";

export default async function run() {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_" });
  const obj = parser.parse(
    '<?xml version="1.0"?><feed><entry id="1"><title>A</title></entry><entry id="2"><title>B</title></entry></feed>',
  );
  const xml = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_" }).build({
    note: { "@_to": "me", body: "hi" },
  });
  return { obj, xml };
}
