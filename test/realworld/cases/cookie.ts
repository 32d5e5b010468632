// cookie: parse a Cookie header, serialize a Set-Cookie value.
import { parseCookie, stringifySetCookie } from "cookie";

export default async function run() {
  return {
    parsed: parseCookie("session=abc%20123; theme=dark"),
    setCookie: stringifySetCookie({
      name: "session",
      value: "x y",
      httpOnly: true,
      secure: true,
      sameSite: "lax",
      maxAge: 3600,
      path: "/",
    }),
  };
}
