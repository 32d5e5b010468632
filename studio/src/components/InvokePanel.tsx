// Call the pulse as an end user would (through POST /v1/pulses/{name}/invoke) and show its answer.

import { useState } from "preact/hooks";
import type { InvokeResult } from "../../../platform/api-schemas.ts";
import { api, ApiFailure, bodyOf, pulseParams } from "../api.ts";
import { useAction } from "../use-action.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { TextField } from "./TextField.tsx";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function pretty(result: InvokeResult): string {
  if (!result.contentType?.includes("json")) return result.body;
  try {
    return JSON.stringify(JSON.parse(result.body), null, 2);
  } catch {
    return result.body;
  }
}

export function InvokePanel({ pulse }: { pulse: string }) {
  const [method, setMethod] = useState<(typeof METHODS)[number]>("POST");
  const [path, setPath] = useState("/");
  const [input, setInput] = useState('{\n  "name": "ada"\n}');
  const [result, setResult] = useState<InvokeResult>();
  const { run, busy, error } = useAction();

  async function send(event: Event) {
    event.preventDefault();
    await run(async () => {
      let parsed: unknown;
      try {
        parsed = input.trim() ? JSON.parse(input) : undefined;
      } catch (e) {
        throw new ApiFailure(0, "invalid_json", `The input is not JSON: ${(e as Error).message}`);
      }
      setResult(
        await bodyOf(
          api.POST("/v1/pulses/{name}/invoke", { ...pulseParams(pulse), body: { method, path, input: parsed } }),
        ),
      );
    });
  }

  return (
    <section aria-labelledby="invoke-title">
      <h2 id="invoke-title">Invoke</h2>
      <form onSubmit={send}>
        <div class="grid">
          <label for="invoke-method">
            Method
            <select
              id="invoke-method"
              value={method}
              onChange={(e) => setMethod(e.currentTarget.value as (typeof METHODS)[number])}
            >
              {METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
          <TextField id="invoke-path" label="Path" value={path} onValue={setPath} />
        </div>
        <label for="invoke-input">
          Input (JSON: the body, or query parameters for GET and DELETE)
          <textarea
            id="invoke-input"
            rows={4}
            class="mono"
            spellcheck={false}
            value={input}
            onInput={(e) => setInput(e.currentTarget.value)}
          />
        </label>
        <button type="submit" aria-busy={busy} disabled={busy}>
          Send
        </button>
      </form>
      <ErrorNotice error={error} />
      {result ? (
        <div class="invoke-result" aria-live="polite">
          <p>
            <span class={`badge ${result.status < 400 ? "live" : "failed"}`} data-status={result.status}>
              {result.status}
            </span>{" "}
            in {result.ms} ms, request <code>{result.requestId ?? "none"}</code>
            {result.truncated ? " (body cut at 64 KiB)" : ""}
          </p>
          <pre class="response-body" tabIndex={0} aria-label="Response body">
            {pretty(result)}
          </pre>
        </div>
      ) : null}
    </section>
  );
}
