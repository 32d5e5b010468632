// Calling a pulse the way an end user does. Names under .localhost resolve to loopback in browsers but not
// in every resolver, so those are sent to 127.0.0.1 with the Host header set.

import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface PulseAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function callPulse(pulseUrl: string, path: string, body?: string): Promise<PulseAnswer> {
  const url = new URL(path, pulseUrl);
  const local = url.hostname.endsWith(".localhost");
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((ok, fail) => {
    const req = send(
      {
        host: local ? "127.0.0.1" : url.hostname,
        port: url.port || (url.protocol === "https:" ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: body === undefined ? "GET" : "POST",
        headers: { host: url.host, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", fail);
    req.end(body);
  });
}
