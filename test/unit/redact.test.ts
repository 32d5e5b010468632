import { describe, expect, it } from "vitest";
import { REDACTED, redactingStream, redactText } from "../../outbound/redact.ts";
import { SecretMatcher } from "../../outbound/secret-matcher.ts";

async function throughStream(chunks: string[], values: string[]): Promise<string> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });
  return new Response(source.pipeThrough(redactingStream(new SecretMatcher(values)))).text();
}

describe("redaction", () => {
  it("finds values split across every possible chunk boundary", async () => {
    const text = `before sk_test_ABCDEFGH middle sk_test_ABCDEFGH after`;
    for (let size = 1; size <= text.length; size++) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, "g"))!;
      expect(await throughStream(chunks, ["sk_test_ABCDEFGH"]), `chunk size ${size}`).toBe(
        `before ${REDACTED} middle ${REDACTED} after`,
      );
    }
  });

  it("leaves text without values untouched, including near misses at the end", async () => {
    expect(await throughStream(["hello sk_test_ABCDEFG"], ["sk_test_ABCDEFGH"])).toBe("hello sk_test_ABCDEFG");
    expect(await throughStream([], ["sk_test_ABCDEFGH"])).toBe("");
  });

  it("catches the spellings an echo produces", () => {
    const value = 'Q+Z/W="K" <J>';
    const matcher = new SecretMatcher([value]);
    for (const spelled of [
      value,
      encodeURIComponent(value),
      JSON.stringify(value),
      JSON.stringify(JSON.stringify(value)),
      btoa(value),
      "Q+Z/W=&#34;K&#34; &#60;J&#62;",
    ]) {
      const out = redactText(`x${spelled}y`, matcher);
      expect(out, spelled).toContain(REDACTED);
      expect(out, spelled).not.toMatch(/[KJ]/); // no piece of the value is left
    }
  });
});

describe("redaction with many values (one pass)", () => {
  it("removes every value, overlapping ones as one span, and a text that is only a value", async () => {
    const values = ["alpha_secret_1", "secret_1_beta", "gamma_secret_2"];
    const matcher = new SecretMatcher(values);
    expect(redactText("alpha_secret_1", matcher)).toBe(REDACTED);
    expect(redactText("<alpha_secret_1_beta>", matcher)).toBe(`<${REDACTED}>`);
    expect(redactText("x gamma_secret_2 y alpha_secret_1", matcher)).toBe(`x ${REDACTED} y ${REDACTED}`);
    const text = "a alpha_secret_1_beta b gamma_secret_2 c";
    for (let size = 1; size <= text.length; size++) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, "g"))!;
      expect(await throughStream(chunks, values), `chunk size ${size}`).toBe(`a ${REDACTED} b ${REDACTED} c`);
    }
  });

  it("reports which values appear in what it scans", () => {
    const matcher = new SecretMatcher(["first_value_1", "second_value_2"]);
    expect([...matcher.ownersIn(["x", encodeURIComponent("a second_value_2")])]).toEqual([1]);
    expect([...matcher.ownersIn([], new TextEncoder().encode(btoa("first_value_1")))]).toEqual([0]);
    expect(matcher.ownersIn(["nothing here"]).size).toBe(0);
  });
});
