// axios with its fetch adapter (Workers have no XMLHttpRequest), JSON both ways, an error status.
import axios from "axios";

const api = axios.create({ baseURL: "https://upstream.test", adapter: "fetch", headers: { "x-client": "axios" } });

export default async function run() {
  const res = await api.post("/echo", { a: 1 }, { params: { b: 2 } });
  const failed = await api.get("/status", { params: { code: 418 } }).then(
    () => null,
    (e: { response?: { status: number } }) => e.response?.status,
  );
  return {
    status: res.status,
    method: res.data.method,
    url: res.data.url,
    body: JSON.parse(res.data.body),
    client: res.data.headers["x-client"],
    failed,
  };
}
