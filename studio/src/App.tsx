// The page's frame: sign-in until a token is accepted, then navigation by role and the current page.

import { useEffect, useState } from "preact/hooks";
import { api, bodyOf, TOKEN_REFUSED_EVENT } from "./api.ts";
import { SignIn, type WhoAmI } from "./components/SignIn.tsx";
import { PlansPage } from "./pages/PlansPage.tsx";
import { PulseList } from "./pages/PulseList.tsx";
import { PulsePage } from "./pages/PulsePage.tsx";
import { TenantsPage } from "./pages/TenantsPage.tsx";
import { UsagePage } from "./pages/UsagePage.tsx";
import { hrefOf, useRoute, type Route } from "./route.ts";
import { forgetToken, readToken } from "./session.ts";

export function App() {
  const [who, setWho] = useState<WhoAmI | null>();
  const [refused, setRefused] = useState<unknown>();
  const route = useRoute();

  // A token refused mid-session (expired, its key rotated out): back to sign-in, saying why.
  useEffect(() => {
    const onRefused = (event: Event) => {
      forgetToken();
      setRefused((event as CustomEvent).detail);
      setWho(null);
    };
    addEventListener(TOKEN_REFUSED_EVENT, onRefused);
    return () => removeEventListener(TOKEN_REFUSED_EVENT, onRefused);
  }, []);

  // A token kept in this tab (a reload) is checked again before it is used.
  useEffect(() => {
    if (!readToken()) return setWho(null);
    bodyOf(api.GET("/v1/whoami")).then(setWho, (e) => {
      forgetToken();
      setRefused(e);
      setWho(null);
    });
  }, []);

  if (who === undefined) return <main class="container" aria-busy="true" />;
  if (who === null) return <SignIn onSignedIn={setWho} refused={refused} />;

  const signOut = () => {
    forgetToken();
    setRefused(undefined);
    setWho(null);
  };
  const links: [Route, string][] =
    who.role === "admin"
      ? [
          [{ page: "tenants" }, "Tenants"],
          [{ page: "plans" }, "Plans"],
          [{ page: "usage" }, "Usage"],
          [{ page: "pulses" }, "Pulses"],
        ]
      : [[{ page: "pulses" }, "Pulses"]];

  return (
    <>
      <header class="container">
        <nav aria-label="Main">
          <ul>
            <li>
              <strong>Pulse Studio</strong>
            </li>
          </ul>
          <ul>
            {links.map(([r, label]) => (
              <li key={label}>
                <a
                  href={hrefOf(r)}
                  aria-current={
                    r.page === route.page || (r.page === "pulses" && route.page === "pulse") ? "page" : undefined
                  }
                >
                  {label}
                </a>
              </li>
            ))}
            <li>
              <span class="muted" data-signed-in-as>
                {who.role === "admin" ? "admin" : who.tenant} ({who.sub})
              </span>
            </li>
            <li>
              <button type="button" class="secondary outline small" onClick={signOut}>
                Sign out
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main class="container">{page(route, who)}</main>
    </>
  );
}

function page(route: Route, who: WhoAmI) {
  switch (route.page) {
    case "pulse":
      return <PulsePage key={route.name} name={route.name} />;
    case "tenants":
      return who.role === "admin" ? <TenantsPage /> : <PulseList who={who} />;
    case "plans":
      return who.role === "admin" ? <PlansPage /> : <PulseList who={who} />;
    case "usage":
      return who.role === "admin" ? <UsagePage /> : <PulseList who={who} />;
    default:
      return <PulseList who={who} />;
  }
}
