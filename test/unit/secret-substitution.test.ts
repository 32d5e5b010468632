// Secret substitution on its own: a reference becomes its value only in a place the secret allows and only for
// a host it may reach; anything else refuses the whole request, and another pulse's references stay inert.

import { describe, expect, it } from "vitest";
import { substituteSecrets, type OutgoingParts } from "../../outbound/substitute.ts";
import type { ResolvedSecret } from "../../outbound/secret-store.ts";

const REF = `pulseref_${"a".repeat(32)}`;
const OTHER_PULSES_REF = `pulseref_${"b".repeat(32)}`;
const secret = (more: Partial<ResolvedSecret> = {}): ResolvedSecret => ({
  kind: "secret",
  name: "API_KEY",
  ref: REF,
  value: 's3cr3t value&="',
  hosts: ["api.example.com"],
  allowInUrl: false,
  allowInBody: false,
  allowSigning: false,
  ...more,
});
const parts = (p: Partial<{ url: string; headers: Record<string, string>; body: string }>): OutgoingParts => ({
  url: p.url ?? "https://api.example.com/v1",
  headers: new Headers(p.headers ?? {}),
  body: p.body === undefined ? null : new TextEncoder().encode(p.body),
});
const text = (body: Uint8Array | null) => (body ? new TextDecoder().decode(body) : null);

describe("substituteSecrets", () => {
  it("puts the value in a header for an allowed host and reports what it used", () => {
    const out = substituteSecrets(parts({ headers: { authorization: `Bearer ${REF}` } }), "api.example.com", [
      secret(),
    ]);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.parts.headers.get("authorization")).toBe('Bearer s3cr3t value&="');
    expect(out.used.map((s) => s.name)).toEqual(["API_KEY"]);
    expect(out.headersWithRefs).toEqual(["authorization"]);
  });

  it("refuses the whole request for a host the secret may not reach, and names neither the value nor the ref", () => {
    const out = substituteSecrets(parts({ headers: { "x-key": REF } }), "evil.example.net", [secret()]);
    expect(out).toEqual({ ok: false, message: "secret API_KEY may not be sent to evil.example.net" });
  });

  it("refuses URL and body placement unless the secret opted in, and encodes for the place when it did", () => {
    expect(
      substituteSecrets(parts({ url: `https://api.example.com/?k=${REF}` }), "api.example.com", [secret()]),
    ).toMatchObject({ ok: false });
    expect(substituteSecrets(parts({ body: REF }), "api.example.com", [secret()])).toMatchObject({ ok: false });
    const opted = secret({ allowInUrl: true, allowInBody: true });
    const inUrl = substituteSecrets(parts({ url: `https://api.example.com/?k=${REF}` }), "api.example.com", [opted]);
    expect(inUrl.ok && inUrl.parts.url).toBe(`https://api.example.com/?k=${encodeURIComponent(opted.value)}`);
    const json = substituteSecrets(
      parts({ body: `{"k":"${REF}"}`, headers: { "content-type": "application/json" } }),
      "api.example.com",
      [opted],
    );
    expect(json.ok && JSON.parse(text(json.parts.body)!)).toEqual({ k: opted.value });
    const form = substituteSecrets(
      parts({ body: `k=${REF}`, headers: { "content-type": "application/x-www-form-urlencoded" } }),
      "api.example.com",
      [opted],
    );
    expect(form.ok && new URLSearchParams(text(form.parts.body)!).get("k")).toBe(opted.value);
  });

  it("leaves references it does not hold (another pulse's) as the inert strings they are", () => {
    const out = substituteSecrets(parts({ headers: { "x-key": OTHER_PULSES_REF } }), "api.example.com", [secret()]);
    expect(out.ok && out.parts.headers.get("x-key")).toBe(OTHER_PULSES_REF);
    expect(out.ok && out.used).toEqual([]);
  });
});
