// Sign in with a token (a developer's or an admin's): it is checked with /v1/whoami before it is kept.

import { useState } from "preact/hooks";
import { api, bodyOf } from "../api.ts";
import { forgetToken, saveToken } from "../session.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { TextField } from "./TextField.tsx";

export interface WhoAmI {
  role: "admin" | "developer";
  sub: string;
  tenant?: string;
}

export function SignIn({ onSignedIn, refused }: { onSignedIn: (who: WhoAmI) => void; refused?: unknown }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<unknown>(refused);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    saveToken(token.trim());
    try {
      onSignedIn(await bodyOf(api.GET("/v1/whoami")));
    } catch (e) {
      forgetToken();
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="container sign-in">
      <article>
        <header>
          <h1>Pulse Studio</h1>
          <p>Sign in with a developer token or an admin token.</p>
        </header>
        <form onSubmit={submit}>
          <TextField
            id="token"
            label="Token"
            name="token"
            secret
            required
            value={token}
            onValue={setToken}
            aria-describedby="token-help"
          />
          <small id="token-help">
            Kept in this tab only and sent only in the Authorization header. <code>npm start</code> prints one.
          </small>
          <ErrorNotice error={error} />
          <button type="submit" aria-busy={busy} disabled={busy}>
            Sign in
          </button>
        </form>
      </article>
    </main>
  );
}
