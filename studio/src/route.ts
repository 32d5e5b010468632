// Hash routes (#/pulses/counter): the page is one file, and nothing secret is ever part of a URL.

import { useEffect, useState } from "preact/hooks";

export type Route =
  | { page: "pulses" }
  | { page: "pulse"; name: string }
  | { page: "tenants" }
  | { page: "plans" }
  | { page: "usage" };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "pulses" && parts[1]) return { page: "pulse", name: parts[1] };
  if (parts[0] === "admin" && (parts[1] === "tenants" || parts[1] === "plans" || parts[1] === "usage"))
    return { page: parts[1] };
  return { page: "pulses" };
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case "pulse":
      return `#/pulses/${encodeURIComponent(route.name)}`;
    case "pulses":
      return "#/";
    default:
      return `#/admin/${route.page}`;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
