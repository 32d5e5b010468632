// A pulse setting cookies for the base domain would have browsers send them to every other pulse and to the
// control host: the dispatcher keeps each pulse's cookies on its own host (dispatcher/cookie-domain.ts).

import { describe, expect, it } from "vitest";
import { confineCookie } from "../dispatcher/cookie-domain.ts";
import { BASE, deployFixture } from "./support/pulses.ts";

describe("cookies a pulse sets", () => {
  it("lose a Domain outside the pulse's own host; the rest reaches the browser as written", async () => {
    const pulse = await deployFixture("cookies");
    const res = await pulse.call("/");
    expect(res.status).toBe(200);
    const own = `${pulse.name}.${BASE}`;
    expect(res.headers.getSetCookie()).toEqual([
      "wide=1; Path=/; Secure",
      "dotted=1; Path=/",
      "neighbour=1",
      `own=1; Domain=${own}; HttpOnly`,
      "plain=1; Path=/; HttpOnly",
    ]);
  });

  it("keep a Domain that is the pulse's host or under it, in any spelling browsers accept", () => {
    const host = "shop.pulses.example";
    expect(confineCookie("a=1; Domain=.SHOP.pulses.example.", host)).toBe("a=1; Domain=.SHOP.pulses.example.");
    expect(confineCookie("a=1; Domain=api.shop.pulses.example", host)).toBe("a=1; Domain=api.shop.pulses.example");
    expect(confineCookie("a=1; Domain=xshop.pulses.example", host)).toBe("a=1");
    expect(confineCookie("a=1; Domain=pulses.example; Domain=shop.pulses.example", host)).toBe(
      "a=1; Domain=shop.pulses.example",
    );
    expect(confineCookie("a=b=c; Path=/domain=x", host)).toBe("a=b=c; Path=/domain=x");
  });
});
