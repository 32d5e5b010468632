// csv-parse/sync: records as objects from a header line.
import { parse } from "csv-parse/sync";

export default async function run() {
  const records = parse('id;label\n1;first\n2;"sec;ond"\n', { columns: true, delimiter: ";", skip_empty_lines: true });
  return { records };
}
