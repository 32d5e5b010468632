// Where the local platform meets the network, both ways.
//
// In: end users reach the dispatcher on workerd's own socket (Miniflare's `unsafeDirectSockets`), not through
// Miniflare's entry worker. That entry honours headers from any client: MF-Original-URL rewrites the URL a
// Worker sees, MF-Route-Override picks which Worker answers (the control plane or the dev upstream, past the
// dispatcher's Host routing), MF-Disable-Pretty-Error and /cdn-cgi/ paths reach its own handlers, and an
// exception is answered with its stack. Miniflare's own port stays on loopback for the supervisor's use.
// workerd still reads `request.cf` from MF-CF-Blob on that socket, so the dispatcher hands pulses no `cf`
// locally (LOCAL_EDGE, dispatcher/app.ts).
//
// Out: every fetch() the dispatcher makes (a pulse's egress, after the policy in outbound/) leaves through
// workerd's network service limited to public addresses, so a name that resolves to loopback or a private
// address is refused at the socket, whatever the policy concluded from the name. Miniflare's default network
// allows private addresses. Test upstreams are service bindings (EGRESS_UPSTREAMS), not network addresses.

/** The Worker every fetch() of the dispatcher leaves through. */
export const PUBLIC_INTERNET_WORKER = {
  name: "pulse-public-internet",
  modules: true,
  script: "export default { fetch: (request, env) => env.NETWORK.fetch(request) };",
  compatibilityDate: "2026-08-01",
  serviceBindings: {
    // "public" is the opposite of "private": no loopback, RFC 1918, link-local, CGNAT or unique-local address.
    NETWORK: { network: { allow: ["public"], deny: [], tlsOptions: { trustBrowserCas: true } } },
  },
} as const;

/** Sends `worker`'s fetch() through PUBLIC_INTERNET_WORKER (which must run in the same Miniflare). */
export function publicEgressOnly(worker: Record<string, unknown>): void {
  worker.outboundService = PUBLIC_INTERNET_WORKER.name;
}

/** Serves `worker`'s default entrypoint on 127.0.0.1:`port` from workerd's own socket. */
export function frontDoor(worker: Record<string, unknown>, port: number): void {
  const sockets = (worker.unsafeDirectSockets as object[] | undefined) ?? [];
  worker.unsafeDirectSockets = [...sockets, { host: "127.0.0.1", port }];
}
