import { describe, expect, it } from "vitest";
import { REDACTED, redactingStream, redactionPatterns, redactText } from "../outbound/redact.ts";

async function throughStream(chunks: string[], values: string[]): Promise<string> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });
  return new Response(source.pipeThrough(redactingStream(redactionPatterns(values)))).text();
}

describe("redaction", () => {
  it("finds values split across every possible chunk boundary", async () => {
    const text = `before sk_test_ABCDEFGH middle sk_test_ABCDEFGH after`;
    for (let size = 1; size <= text.length; size++) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, "g"))!;
      expect(await throughStream(chunks, ["sk_test_ABCDEFGH"]), `chunk size ${size}`).toBe(`before ${REDACTED} middle ${REDACTED} after`);
    }
  });

  it("leaves text without values untouched, including near misses at the end", async () => {
    expect(await throughStream(["hello sk_test_ABCDEFG"], ["sk_test_ABCDEFGH"])).toBe("hello sk_test_ABCDEFG");
    expect(await throughStream([], ["sk_test_ABCDEFGH"])).toBe("");
  });

  it("catches the spellings an echo produces", () => {
    const value = 'Q+Z/W="K" <J>';
    const patterns = redactionPatterns([value]);
    for (const spelled of [value, encodeURIComponent(value), JSON.stringify(value), JSON.stringify(JSON.stringify(value)), btoa(value), "Q+Z/W=&#34;K&#34; &#60;J&#62;"]) {
      const out = redactText(`x${spelled}y`, patterns);
      expect(out, spelled).toContain(REDACTED);
      expect(out, spelled).not.toMatch(/[KJ]/); // no piece of the value is left
    }
  });
});
