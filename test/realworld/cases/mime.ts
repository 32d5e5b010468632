// mime: types from paths and extensions from types.
import mime from "mime";

export default async function run() {
  return {
    html: mime.getType("index.html"),
    json: mime.getType("data.json"),
    ext: mime.getExtension("image/png"),
    unknown: mime.getType("x.zzqq"),
  };
}
