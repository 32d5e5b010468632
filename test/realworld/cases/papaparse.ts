// papaparse: CSV with a header row, typed values, and back to CSV.
import Papa from "papaparse";

export default async function run() {
  const csv = 'name,age,city\nAda,36,London\n"Lovelace, A",37,"New ""York"""\n';
  const parsed = Papa.parse<{ name: string; age: number; city: string }>(csv, {
    header: true,
    dynamicTyping: true,
    skipEmptyLines: true,
  });
  return { rows: parsed.data.length, data: parsed.data, errors: parsed.errors.length, back: Papa.unparse(parsed.data) };
}
