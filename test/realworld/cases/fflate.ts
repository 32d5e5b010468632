// fflate: gzip and zip round trips.
import { gunzipSync, gzipSync, strFromU8, strToU8, unzipSync, zipSync } from "fflate";

export default async function run() {
  const text = "hello hello hello hello ".repeat(40);
  const gz = gzipSync(strToU8(text), { level: 9, mtime: 0 });
  const zip = zipSync({ "a.txt": strToU8("A"), "dir/b.txt": strToU8("B") });
  const files = unzipSync(zip);
  return {
    smaller: gz.length < text.length,
    roundTrip: strFromU8(gunzipSync(gz)) === text,
    magic: [gz[0], gz[1]],
    zipEntries: Object.keys(files).sort(),
    b: strFromU8(files["dir/b.txt"]!),
  };
}
