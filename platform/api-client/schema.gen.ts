// Generated from the control API's OpenAPI document by openapi-typescript: do not edit.
// Regenerate with `npm run generate:api-client` after changing a route (CI fails when this file is stale).

export interface paths {
  "/v1/pulses": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List pulses
     * @description A developer sees the pulses of their tenant; an admin sees all.
     */
    get: operations["listPulses"];
    put?: never;
    /**
     * Create a pulse
     * @description The name becomes the pulse's subdomain. Developers create pulses in their own tenant; admins name the tenant.
     */
    post: operations["createPulse"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a pulse */
    get: operations["readPulse"];
    put?: never;
    post?: never;
    /**
     * Delete a pulse
     * @description It stops serving at once; its versions, deployments, secrets, egress rules, KV keys and SQL database are removed, and the name is free again.
     */
    delete: operations["deletePulse"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/versions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List versions, newest first */
    get: operations["listVersions"];
    put?: never;
    /**
     * Upload source: build a version (and optionally deploy it)
     * @description Bundles the files with the runtime shim using esbuild-wasm inside the control plane. Imports resolve only among the uploaded files. Identical source returns the same version id without building or storing anything again. Build errors answer 422 with esbuild's diagnostics.
     */
    post: operations["uploadVersion"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/versions/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a version: its manifest, and what it changes against the live version */
    get: operations["readVersion"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/deployments": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Deployment history, newest first */
    get: operations["listDeployments"];
    put?: never;
    /**
     * Make a version live, or start it as a canary
     * @description An atomic switch of the active version: the previous one serves until this returns. With `canary`, the version takes that percent of end users' clients instead (sticky per client), and the platform promotes it after the window or rolls it back when its error rate or p99 is measurably worse (docs/canary.md). Refusals: 400 canary_without_live_version, canary_is_live; 409 canary_needs_approval, canary_live_changed.
     */
    post: operations["deployVersion"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/canary": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The pulse's latest canary: open (with its figures so far) or how it was decided
     * @description Figures counted in the data plane are flushed and open canaries settled first.
     */
    get: operations["readCanary"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/rollback": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Roll back to the previous version, or to a named one */
    post: operations["rollback"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/files": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the files workspace */
    get: operations["listPulseFiles"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/files/{path}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a workspace file (its bytes) */
    get: operations["readPulseFile"];
    /**
     * Add or replace a workspace file
     * @description The body is the file's bytes (any type; at most 5242880 bytes). Files under public/ become static files of the version built from the workspace; the others are its source (UTF-8 text).
     */
    put: operations["writePulseFile"];
    post?: never;
    /** Delete a workspace file */
    delete: operations["deletePulseFile"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/files/{path}/rename": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Rename (move) a workspace file; a file already at the new path is replaced */
    post: operations["renamePulseFile"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/versions/from-files": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Build a version from the files workspace (and optionally deploy it)
     * @description As an upload of the workspace: files under public/ are the static files, the others the source. Answers like POST /v1/pulses/{name}/versions.
     */
    post: operations["uploadVersionFromFiles"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/secrets/{secret}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Set a secret (write-only)
     * @description User code sees env.secrets.NAME as an opaque reference; the outbound worker substitutes the value only for the listed hosts. The value is never returned.
     */
    put: operations["putSecret"];
    post?: never;
    /** Delete a secret */
    delete: operations["deleteSecret"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/secrets": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List secrets: names, hosts and placement, never values */
    get: operations["listSecrets"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/connections/{secret}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Set a OAuth connection (write-only)
     * @description User code sees env.connections.NAME as an opaque reference; the outbound worker substitutes the value only for the listed hosts. The value is never returned.
     */
    put: operations["putConnection"];
    post?: never;
    /** Delete a OAuth connection */
    delete: operations["deleteConnection"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/connections": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List OAuth connections: names, hosts and placement, never values */
    get: operations["listConnections"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/egress": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read the pulse egress rules */
    get: operations["readPulseEgress"];
    /**
     * Replace the pulse egress rules (the pulse's developers)
     * @description Internal addresses, cloud metadata and the platform's own hosts stay blocked whatever the rules say.
     */
    put: operations["replacePulseEgress"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/tenants/{tenant}/egress": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read the tenant egress rules */
    get: operations["readTenantEgress"];
    /**
     * Replace the tenant egress rules (admins)
     * @description Internal addresses, cloud metadata and the platform's own hosts stay blocked whatever the rules say.
     */
    put: operations["replaceTenantEgress"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/plans/{plan}/egress": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read the plan egress rules */
    get: operations["readPlanEgress"];
    /**
     * Replace the plan egress rules (admins)
     * @description Internal addresses, cloud metadata and the platform's own hosts stay blocked whatever the rules say.
     */
    put: operations["replacePlanEgress"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/plans": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List plans */
    get: operations["listPlans"];
    put?: never;
    /** Create a plan (its egress starts as allow *) */
    post: operations["createPlan"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/plans/{plan}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a plan */
    get: operations["readPlan"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Change a plan's limits
     * @description Applies to every pulse on the plan at its next request.
     */
    patch: operations["updatePlan"];
    trace?: never;
  };
  "/v1/admin/tenants": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List tenants */
    get: operations["listTenants"];
    put?: never;
    /** Create a tenant */
    post: operations["createTenant"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/tenants/{tenant}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a tenant */
    get: operations["readTenant"];
    put?: never;
    post?: never;
    /** Delete a tenant and everything its pulses own */
    delete: operations["deleteTenant"];
    options?: never;
    head?: never;
    /**
     * Change a tenant's plan
     * @description Applies at the next request of each pulse: an upgrade to a plan with SQL gives env.db without a redeploy; a downgrade hides env.db and keeps the data.
     */
    patch: operations["updateTenant"];
    trace?: never;
  };
  "/v1/admin/tenants/{tenant}/suspend": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Suspend a tenant: its pulses answer 403 tenant_suspended at once */
    post: operations["suspendTenant"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/tenants/{tenant}/resume": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resume a suspended tenant */
    post: operations["resumeTenant"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/pulses/{pulse}/quarantine": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Quarantine a pulse: it answers 503 pulse_quarantined at once, until the time given or its next deploy
     * @description The local watchdog calls this when a pulse stalls or overfills its runtime cell.
     */
    post: operations["quarantinePulse"];
    /** Lift a pulse's quarantine */
    delete: operations["releasePulse"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/tenants/{tenant}/tokens": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Issue a developer token for a tenant */
    post: operations["issueTenantToken"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/runtime/cells": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * What the runtime cells are running: requests sent and not answered, isolates sent requests lately
     * @description The local watchdog asks this when a cell stops answering (a stuck cell cannot say what it runs) and every few hundred milliseconds for the isolates whose heaps it watches.
     */
    get: operations["getCellTraffic"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/runtime/probation": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Run a pulse's code in the probation cell for a while
     * @description The local watchdog calls this for a pulse it suspects (it was in flight when a cell stalled or crashed and the blame was not certain, or an isolate of it neared the heap limit): until the time is up its code runs in the probation cell, beside other code on probation, away from established pulses. Without runtime cells it has no effect.
     */
    post: operations["putPulseOnProbation"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/usage": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Usage per pulse and day of the caller's pulses (a developer's tenant; every pulse for admins)
     * @description One call for a dashboard of all one's pulses (the studio's list: today's requests and errors).
     */
    get: operations["listUsage"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/usage": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A pulse's usage per day */
    get: operations["readPulseUsage"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/usage": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Usage of every pulse per day (or of one tenant's) */
    get: operations["listAllUsage"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/logs": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a pulse's logs, or tail them live (?tail=1 or Accept: text/event-stream) */
    get: operations["readLogs"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/versions/{version}/preview": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Replay recent invocations against a version before making it live
     * @description Replays the pulse's last N recorded invocations (plan replayInvocations) against the version, in order, with its own throwaway copies of the pulse's KV and SQL; its outgoing requests are answered with the live version's recorded answers or refused (replay_egress_unrecorded), never sent. Answers per input: live and candidate status and body, a diff, errors, wall time, subrequests and KV operations, and the plan's limits the candidate would exceed. The live pulse's data is not touched.
     */
    post: operations["previewVersion"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/schedules": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a pulse's schedule: its expressions and where they come from, the next run, the run history (newest first) */
    get: operations["readSchedules"];
    /**
     * Override or pause a pulse's schedule
     * @description `schedule` replaces the live version's export (null goes back to it); `paused` stops runs without forgetting the expressions. Expressions that do not parse are 422 schedule_invalid; runs closer together than the plan allows are 422 schedule_too_frequent.
     */
    put: operations["putSchedules"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/whoami": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who the token belongs to */
    get: operations["whoAmI"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/tenants/{tenant}/agent-policy": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A tenant's policy for agents (MCP) */
    get: operations["readAgentPolicy"];
    /** Set a tenant's policy for agents (MCP) */
    put: operations["putAgentPolicy"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/export": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Export a pulse as a standalone Worker project with its data
     * @description The live version (or ?version=) as a project that runs with plain `wrangler dev` and deploys to your own Cloudflare account: the source (or, for versions built before sources were kept, the bundle), the runtime as source, wrangler.jsonc with KV and D1 bindings, a README, KV data for `wrangler kv bulk put` (at most 900 keys and 8388608 bytes of values) and a SQL dump for `wrangler d1 execute --file` (at most 8388608 bytes). data.*.complete says whether a bound was reached. Secret values are never exported.
     */
    get: operations["exportPulse"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/approvals": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Deploys held for approval (default: pending), newest first, with what each adds */
    get: operations["listApprovals"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/approvals/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read one approval request */
    get: operations["readApproval"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/approvals/{id}/approve": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Approve: the version goes live (atomic switch)
     * @description Only a pending request, and never by the one who requested it (403 approval_self_review).
     */
    post: operations["approveDeploy"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/approvals/{id}/reject": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Reject: the live version keeps serving
     * @description Only a pending request, and never by the one who requested it (403 approval_self_review).
     */
    post: operations["rejectDeploy"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/approvals": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This pulse's approval requests, newest first (pending, approved, rejected, superseded) */
    get: operations["listPulseApprovals"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/tenants/{tenant}/approval-policy": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Whether the tenant's deploys that add egress hosts or secrets wait for an admin */
    get: operations["readApprovalPolicy"];
    /** Override the plan's requireApprovalForNewEgress for one tenant (null follows the plan) */
    put: operations["putApprovalPolicy"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/versions/{version}/source": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A version's source files, as uploaded
     * @description The version may be named by a unique prefix of 7+ characters. Versions built before sources were kept answer 404 source_not_found.
     */
    get: operations["readVersionSource"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/invoke": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Call the pulse as an end user would, and return its answer
     * @description The request enters the data plane at the pulse's host: plan limits, usage and logs apply as for any request.
     */
    post: operations["invokePulse"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/builds": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Build in a sandbox (npm install, tests, bundling), then version and optionally deploy
     * @description Answers application/x-ndjson: one {type:'output', step, stream, data} line per output chunk as the build runs, then one {type:'result', ok, ...} line (versionId, deployed and any approval it waits for on success; step, reason, exitCode and output on failure). 501 sandbox_unavailable where containers are not configured.
     */
    post: operations["buildPulse"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/domains": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the pulse's custom domains */
    get: operations["listPulseDomains"];
    put?: never;
    /**
     * Add a custom domain
     * @description Claims the hostname for this pulse and answers what to publish to prove it is yours. It is routed to the pulse once verified. Adding a hostname the pulse already has answers that claim (200).
     */
    post: operations["addPulseDomain"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/domains/{hostname}/verify": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Check a custom domain's proof
     * @description Asks the verifier now (a DNS lookup, or Cloudflare's status of the custom hostname). 409 domain_not_verified says what was found; call again once the record is published.
     */
    post: operations["verifyPulseDomain"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/pulses/{name}/domains/{hostname}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Remove a custom domain
     * @description It stops routing to the pulse at once.
     */
    delete: operations["removePulseDomain"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/domains": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List every custom domain (admins) */
    get: operations["listAllDomains"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/domains/{hostname}/verify": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Mark a custom domain verified (admins)
     * @description The admin vouches for the hostname without a check; it is routed to its pulse at once.
     */
    post: operations["markDomainVerified"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/admin/domains/{hostname}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Revoke a custom domain (admins)
     * @description It stops routing at once and the hostname is free to be claimed again.
     */
    delete: operations["revokeDomain"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Pulse: {
      name: string;
      /** @description The pulse's VIBE_ID: stable, never reused */
      id: string;
      tenant: string;
      url: string;
      activeVersionId: string | null;
      /** Format: date-time */
      createdAt: string;
    };
    Error: {
      error: {
        /** @example pulse_not_found */
        code: string;
        message: string;
        requestId?: string;
        details?: unknown;
      };
    };
    CreatePulse: {
      /**
       * @description The pulse's subdomain label
       * @example counter
       */
      name: string;
      /** @description Tenant name; admins only (developers create in their own tenant) */
      tenant?: string;
    };
    DeleteResult: {
      /** @enum {boolean} */
      deleted: true;
      name: string;
      kvKeysDeleted: number;
    };
    UploadResult: {
      version: components["schemas"]["Version"];
      /** @description Time spent building; 0 when an identical upload was reused */
      buildMs: number;
      /** @description True when identical source was built before and its bundle reused */
      reused: boolean;
      deployment: components["schemas"]["Deployment"];
      diff: components["schemas"]["ManifestDiff"];
      approval: components["schemas"]["Approval"];
    };
    Version: {
      id: string;
      sizeBytes: number;
      /** Format: date-time */
      createdAt: string;
      createdBy: string | null;
      active: boolean;
      manifest: components["schemas"]["Manifest"];
      /** @description Hash of the version's static-file manifest; null when it serves no files */
      staticManifest?: string | null;
    };
    /** @description What the code needs and calls; null for versions built before manifests were kept */
    Manifest: {
      /** @enum {number} */
      format: 2;
      /** @description Reads env.db or env.Pro_User_Binding */
      usesDb: boolean;
      /**
       * @description env.secrets.NAME referenced
       * @example [
       *       "STRIPE_KEY"
       *     ]
       */
      secrets: string[];
      /** @description env.connections.NAME referenced */
      connections: string[];
      /** @description env.secrets or env.connections is read with a computed name or used whole: the names above may be incomplete */
      dynamicSecrets: boolean;
      egress: {
        /**
         * @description Hosts of http(s) URLs given to fetch() as literals (or constants and templates that fix the host)
         * @example [
         *       "api.stripe.com"
         *     ]
         */
        hosts: string[];
        /** @description Some fetch() target (or fetch itself, passed around) could not be resolved: the hosts above may be incomplete */
        dynamicFetch: boolean;
        /** @description The unresolved targets, as written, the developer's own first (at most 20) */
        dynamicTargets: {
          file: string;
          target: string;
          /** @description The npm package the code is attributed to; absent for the developer's own code */
          package?: string;
        }[];
      };
      /**
       * @description Cron expressions of `export const schedule`
       * @example [
       *       "*\/5 * * * *"
       *     ]
       */
      schedules: string[];
      /** @description `schedule` is exported but is not a string literal or an array of them */
      dynamicSchedule: boolean;
      bundleBytes: number;
      /** @description Uploaded files the build reached (the ones scanned) */
      files: string[];
      /** @description The same findings per npm package, for bundles that say where their code came from */
      packages: components["schemas"]["PackageCapabilities"][];
      /** @description What the scan could not analyse, and the conservative answer it gave instead */
      warnings: string[];
    } | null;
    /** @description What the code a bundle attributes to one npm package asks for (already counted in the totals) */
    PackageCapabilities: {
      /** @example hono */
      name: string;
      usesDb: boolean;
      secrets: string[];
      connections: string[];
      dynamicSecrets: boolean;
      hosts: string[];
      dynamicFetch: boolean;
    };
    Deployment: {
      id: number;
      versionId: string;
      previousVersionId: string | null;
      /** @enum {string} */
      kind: "deploy" | "rollback";
      /** Format: date-time */
      createdAt: string;
      createdBy: string | null;
    } | null;
    /** @description This version's manifest against the live one */
    ManifestDiff: {
      /** @description The live version compared with; null when nothing is live (everything counts as added) */
      against: string | null;
      added: {
        hosts: string[];
        secrets: string[];
        connections: string[];
        schedules: string[];
      };
      removed: {
        hosts: string[];
        secrets: string[];
        connections: string[];
        schedules: string[];
      };
      /** @description Set when env.db use changes */
      usesDb: {
        from: boolean;
        to: boolean;
      } | null;
      dynamicFetch: {
        from: boolean;
        to: boolean;
      } | null;
      dynamicSecrets: {
        from: boolean;
        to: boolean;
      } | null;
      bundleBytes: {
        from: number | null;
        to: number;
      };
      addsEgressOrSecrets: boolean;
      /**
       * @example [
       *       "now also calls api.stripe.com",
       *       "now uses env.db"
       *     ]
       */
      sentences: string[];
    };
    /** @description Set (status 202) when the deploy waits for an admin */
    Approval: {
      id: number;
      pulse: string;
      tenant: string;
      versionId: string;
      /** @enum {string} */
      kind: "deploy" | "rollback";
      /** @enum {string} */
      status: "pending" | "approved" | "rejected" | "superseded";
      diff: components["schemas"]["ManifestDiff"] & unknown;
      requestedBy: string;
      /** Format: date-time */
      requestedAt: string;
      decidedBy: string | null;
      /** Format: date-time */
      decidedAt: string | null;
      reason: string | null;
    } | null;
    Upload: {
      /**
       * @description Relative path -> source. At most 100 files, 524288 bytes in all.
       * @example {
       *       "index.ts": "export default async function run(input) { return { hello: input.name ?? 'world' }; }"
       *     }
       */
      files: {
        [key: string]: string;
      };
      /** @example index.ts */
      main: string;
      /** @description Make the version live in the same call */
      deploy?: boolean;
      staticFiles?: components["schemas"]["StaticFilesUpload"];
      /** @description Without staticFiles: the new version serves the live version's static files (an edit of the code alone, as Pulse Studio and the MCP tools make, keeps the app's pages). Default: a version without staticFiles has none. */
      keepStaticFiles?: boolean;
    };
    StaticFilesUpload: {
      /**
       * @description Path (relative, as under public/) -> base64 of the bytes. Served at the pulse's URL before run() is called. At most 5242880 bytes per file; the plan sets the count and total (staticFiles, staticBytes). Refusals: 422 static_files_invalid, 413 static_file_too_large, static_files_too_many, static_files_too_large.
       * @example {
       *       "index.html": "PGgxPmhlbGxvPC9oMT4="
       *     }
       */
      files: {
        [key: string]: string;
      };
      /** @description Answer page requests (Accept: text/html) that match no file with index.html */
      spa?: boolean;
      /**
       * @description Only paths under this prefix (like "/api/") reach run(); other paths are files or 404
       * @example /api/
       */
      runPrefix?: string;
    };
    DeployResult: {
      deployment: components["schemas"]["Deployment"];
      changed: boolean;
      diff?: components["schemas"]["ManifestDiff"];
      /** @description Set (status 202) when the switch waits for an admin */
      approval?: {
        id: number;
        pulse: string;
        tenant: string;
        versionId: string;
        /** @enum {string} */
        kind: "deploy" | "rollback";
        /** @enum {string} */
        status: "pending" | "approved" | "rejected" | "superseded";
        diff: components["schemas"]["ManifestDiff"] & unknown;
        requestedBy: string;
        /** Format: date-time */
        requestedAt: string;
        decidedBy: string | null;
        /** Format: date-time */
        decidedAt: string | null;
        reason: string | null;
      } | null;
      canary?: components["schemas"]["Canary"];
    };
    /** @description Set when the call started a canary (no switch yet) */
    Canary: {
      id: number;
      versionId: string;
      liveVersionId: string;
      /** @description Percent of clients on the canary */
      share: number;
      windowMs: number;
      /** @description Requests each side needs before it is judged */
      minRequests: number;
      /** @description Requests each side needs before p99s are compared */
      minLatencySamples: number;
      /** @enum {string} */
      status: "open" | "promoted" | "rolled_back" | "ended";
      /** @description Why it was decided (with the figures), or what it waits for while open */
      reason: string | null;
      figures: components["schemas"]["CanaryFigures"];
      /** Format: date-time */
      startedAt: string;
      startedBy: string | null;
      /** Format: date-time */
      decidedAt: string | null;
      /** @description The deployment a promotion wrote */
      deploymentId: number | null;
    };
    /** @description The figures that decided it (so far, while open) */
    CanaryFigures: {
      live: components["schemas"]["CanaryArmFigures"];
      canary: components["schemas"]["CanaryArmFigures"];
      elapsedMs: number;
    } | null;
    CanaryArmFigures: {
      requests: number;
      /** @description Answers with a 5xx status (exceptions, timeouts included) */
      errors: number;
      errorRate: number;
      /** @description Upper bound of the latency bucket holding the p99 */
      p99Ms: number | null;
    };
    Deploy: {
      /** @example c513e9385c6e */
      versionId: string;
      /**
       * @description Percent of end users' clients (1-50) sent to this version beside the live one; the platform promotes it after the window or rolls it back when it is measurably worse (docs/canary.md)
       * @example 10
       */
      canary?: number;
    };
    Rollback: {
      /** @example c513e9385c6e */
      versionId?: string;
    };
    WorkspaceFile: {
      path: string;
      size: number;
      /** @description SHA-256 of the bytes, hex */
      hash: string;
      /** Format: date-time */
      updatedAt: string;
    };
    RenameFile: {
      /** @example lib/hello.ts */
      to: string;
    };
    BuildFromFiles: {
      /**
       * @default index.ts
       * @example index.ts
       */
      main: string;
      deploy?: boolean;
      spa?: boolean;
      runPrefix?: string;
    };
    SecretInfo: {
      name: string;
      /** @enum {string} */
      kind: "secret" | "connection";
      hosts: string[];
      allowInUrl: boolean;
      allowInBody: boolean;
      /** @description env.crypto may sign with it (secrets only) */
      allowSigning: boolean;
      /** Format: date-time */
      updatedAt: string;
    };
    PutSecret: {
      value: string;
      /**
       * @description The only hosts this value may be sent to
       * @example [
       *       "api.stripe.com"
       *     ]
       */
      hosts: string[];
      /** @description Also substitute references found in the URL (default: headers only) */
      allowInUrl?: boolean;
      /** @description Also substitute references found in the request body (default: headers only) */
      allowInBody?: boolean;
      /** @description Let the pulse compute with it through env.crypto (HMAC, HS256 JWT) without seeing it (default: false) */
      allowSigning?: boolean;
    };
    PutConnection: {
      /** @description The OAuth access token for the provider's API */
      accessToken: string;
      /**
       * @description The only hosts this value may be sent to
       * @example [
       *       "api.stripe.com"
       *     ]
       */
      hosts: string[];
      /** @description Also substitute references found in the URL (default: headers only) */
      allowInUrl?: boolean;
      /** @description Also substitute references found in the request body (default: headers only) */
      allowInBody?: boolean;
    };
    /** @description First match wins inside a layer; every layer (plan, tenant, pulse) must allow a request. */
    EgressRules: {
      rules: {
        /** @enum {string} */
        action: "allow" | "deny";
        host: string;
        schemes?: ("http" | "https")[];
        ports?: number[];
      }[];
    };
    Plan: {
      name: string;
      limits: {
        sql: boolean;
        requestsPerMinute: number;
        kvOpsPerRequest: number;
        kvValueBytes: number;
        requestBodyBytes: number;
        subrequestsPerRequest: number;
        cpuMs: number;
        wallMs: number;
        maxPulses: number;
        /** @default 24 */
        logRetentionHours: number;
        requireApprovalForNewEgress?: boolean;
        replayInvocations?: number;
        minScheduleIntervalSeconds?: number;
        staticFiles?: number;
        staticBytes?: number;
        canaryWindowSeconds?: number;
        canaryMinRequests?: number;
        canaryMinLatencySamples?: number;
      };
      /** Format: date-time */
      updatedAt: string;
    };
    CreatePlan: {
      name: string;
      limits: {
        sql: boolean;
        requestsPerMinute: number;
        kvOpsPerRequest: number;
        kvValueBytes: number;
        requestBodyBytes: number;
        subrequestsPerRequest: number;
        cpuMs: number;
        wallMs: number;
        maxPulses: number;
        /** @default 24 */
        logRetentionHours: number;
        requireApprovalForNewEgress?: boolean;
        replayInvocations?: number;
        minScheduleIntervalSeconds?: number;
        staticFiles?: number;
        staticBytes?: number;
        canaryWindowSeconds?: number;
        canaryMinRequests?: number;
        canaryMinLatencySamples?: number;
      };
    };
    UpdatePlan: {
      limits: {
        sql?: boolean;
        requestsPerMinute?: number;
        kvOpsPerRequest?: number;
        kvValueBytes?: number;
        requestBodyBytes?: number;
        subrequestsPerRequest?: number;
        cpuMs?: number;
        wallMs?: number;
        maxPulses?: number;
        /** @default 24 */
        logRetentionHours: number;
        requireApprovalForNewEgress?: boolean;
        replayInvocations?: number;
        minScheduleIntervalSeconds?: number;
        staticFiles?: number;
        staticBytes?: number;
        canaryWindowSeconds?: number;
        canaryMinRequests?: number;
        canaryMinLatencySamples?: number;
      };
    };
    Tenant: {
      id: string;
      name: string;
      plan: string;
      /** @enum {string} */
      status: "active" | "suspended";
      pulses: number;
      /** Format: date-time */
      createdAt: string;
    };
    CreateTenant: {
      name: string;
      plan: string;
    };
    UpdateTenant: {
      plan: string;
    };
    Quarantine: {
      pulse: string;
      quarantinedUntil: string | null;
    };
    QuarantineRequest: {
      /**
       * @description How long; a new deploy of the pulse lifts it sooner
       * @default 5
       */
      minutes: number;
    };
    Token: {
      token: string;
      /** Format: date-time */
      expiresAt: string;
    };
    IssueToken: {
      /** @description Who the token is for (its sub); defaults to the tenant's name */
      subject?: string;
      /** @description Default 720 (30 days) */
      expiresInHours?: number;
    };
    CellTraffic: {
      /** @description The data plane's clock when it answered (ms since the epoch) */
      now: number;
      /** @description Sent to a cell and not answered yet */
      requests: components["schemas"]["CellRequest"][];
      /** @description Sent a request after `since` (at most 10 s ago) */
      isolates: components["schemas"]["CellIsolate"][];
      placement: components["schemas"]["CellPlacement"];
    };
    CellRequest: {
      requestId: string;
      cell: number;
      pulseId: string;
      pulseName: string;
      versionId: string;
      /** @description The Worker Loader's name of the isolate running the version */
      isolate: string;
      /** @description When the cell could start running it (ms since the epoch): when it was sent, or when the front answered the cell's load of the version's code */
      startedAt: number;
      /** @description The last thing the cell was handed for it: its start, or the front's answer to a call its pulse made (per pulse: env.kv, env.db, env.crypto, fetch) */
      lastDeliveredAt: number;
      /** @description Its pulse has a call the front is still answering: it is waiting, not running */
      waitingOnFront: boolean;
    };
    CellIsolate: {
      isolate: string;
      cell: number;
      pulseId: string;
      versionId: string;
      lastSentAt: number;
    };
    CellPlacement: {
      /** @description The cell that runs code on probation (null with fewer than two cells) */
      probationCell: number | null;
      /** @description Answers a version needs from its cells before it leaves probation */
      graduateAfter: number;
      /** @description Pulses on probation because of the watchdog */
      suspects: components["schemas"]["ProbationEntry"][];
    };
    ProbationEntry: {
      pulseId: string;
      /** @description When its code leaves the probation cell (ms since the epoch) */
      until: number;
      /** @description What the watchdog saw */
      reason: string;
    };
    UsageRow: {
      /** @description Pulse name, null once the pulse is deleted */
      pulse: string | null;
      pulseId: string;
      tenantId: string;
      day: string;
      requests: number;
      errors: number;
      kvOps: number;
      subrequests: number;
      wallMs: number;
    };
    LogEntry: {
      id: number;
      /** @description UNIX ms */
      ts: number;
      /** @enum {string} */
      level: "log" | "info" | "warn" | "error" | "debug" | "request" | "exception";
      /** @description The id the end user got in x-pulse-request-id */
      requestId: string | null;
      message: string;
      data?: {
        [key: string]: unknown;
      };
    };
    PreviewReport: {
      pulse: string;
      plan: string;
      liveVersionId: string;
      candidateVersionId: string;
      isolation: {
        kvKeysCopied: number;
        kvCopyComplete: boolean;
        sqlRowsCopied: number;
        sqlCopyComplete: boolean;
        sqlCopyError?: string;
      };
      summary: {
        inputs: number;
        replayed: number;
        changed: number;
        unchanged: number;
        notComparable: number;
        /** @description Inputs the candidate answered with a 5xx */
        candidateErrors: number;
        liveErrors: number;
        overruns: {
          /** @enum {string} */
          limit: "subrequestsPerRequest" | "kvOpsPerRequest" | "wallMs";
          max: number;
          /** @description Inputs on which the candidate exceeded it */
          inputs: number;
          /** @description Inputs on which the live version did */
          liveInputs: number;
          /** @example this version would exceed free's 5 subrequests on 3 of 20 inputs */
          message: string;
        }[];
        messages: string[];
      };
      results: {
        /** Format: date-time */
        recordedAt: string;
        /** @description The live request's id (in the pulse's logs) */
        requestId: string;
        request: {
          method: string;
          path: string;
          query: string;
          dropped: string[];
        };
        inputIncomplete: boolean;
        /** @description Not replayed: the preview's time budget ran out */
        skipped: boolean;
        live: {
          versionId: string;
          status: number;
          body: components["schemas"]["RecordedBody"];
          wallMs: number;
          subrequests: number;
        };
        candidate: {
          status: number;
          body: components["schemas"]["RecordedBody"];
          wallMs: number;
          subrequests: number;
          kvOps: number;
          error: {
            code: string;
            message: string;
          } | null;
          /** @description Requests the live version did not make: refused with replay_egress_unrecorded */
          unrecordedEgress: string[];
        } | null;
        changed: boolean;
        /** @description False when a body was too large to keep, so only statuses were compared */
        comparable: boolean;
        diff: {
          /** @description Where the outputs differ: "status", "body" or a JSON path such as "body.items[2].price" */
          path: string;
          live?: unknown;
          candidate?: unknown;
        }[];
        /** @description Plan limits the candidate exceeded on this input */
        limits: {
          /** @enum {string} */
          limit: "subrequestsPerRequest" | "kvOpsPerRequest" | "wallMs";
          used: number;
          max: number;
        }[];
      }[];
    };
    RecordedBody: {
      bytes: number;
      sha256: string | null;
      text?: string;
      /** @description When the body is not UTF-8 */
      base64?: string;
      /**
       * @description Not kept: larger than the bound, or it did not finish in time
       * @enum {string}
       */
      dropped?: "too_large" | "timeout";
    } | null;
    PreviewRequest: {
      /** @description Replay only the newest n recorded invocations (default: all the plan keeps) */
      inputs?: number;
    };
    Schedules: {
      /**
       * @description Where the expressions that run come from
       * @enum {string}
       */
      source: "version" | "override" | "none";
      /** @description The expressions that run (unless paused) */
      schedule: string[];
      /** @description The live version's `schedule` export; null: none */
      versionSchedule: string[] | null;
      override: string[] | null;
      paused: boolean;
      /** @description The plan's minimum time between two runs */
      minIntervalSeconds: number;
      /** Format: date-time */
      nextRunAt: string | null;
      /** @description Newest first */
      runs: components["schemas"]["ScheduleRun"][];
    };
    ScheduleRun: {
      id: number;
      cron: string;
      /**
       * Format: date-time
       * @description The occurrence this run is for
       */
      scheduledTime: string;
      /** Format: date-time */
      startedAt: string;
      /** @enum {string} */
      outcome:
        | "ok"
        | "error"
        | "timeout"
        | "unavailable"
        | "skipped_suspended"
        | "skipped_quarantined"
        | "skipped_not_deployed"
        | "skipped_plan_minimum";
      /** @description The pulse's HTTP status; null when it did not run */
      status: number | null;
      ms: number | null;
      /** @description Its log lines carry this id */
      requestId: string;
      /** @description Earlier occurrences missed while the platform was down: run once, not replayed */
      missed: number;
      detail: string | null;
    };
    PutSchedules: {
      /** @description Overrides the live version's `schedule` export (an empty list: no runs); null goes back to the export */
      schedule?: string | string[] | (never | null);
      /** @description A paused schedule keeps its expressions and runs nothing; occurrences while paused are not owed */
      paused?: boolean;
    };
    WhoAmI: {
      /** @enum {string} */
      role: "admin" | "developer";
      sub: string;
      /** @description Tenant name (developers) */
      tenant?: string;
    };
    AgentPolicy: {
      /** @description delete_pulse and rollback over MCP answer confirmation_required with a one-time token first; the same call repeated with that token runs */
      confirmDestructive: boolean;
    };
    Export: {
      pulse: string;
      pulseId: string;
      versionId: string;
      /**
       * @description source: the developer's files; bundle: only the built bundle was kept (versions built before sources were)
       * @enum {string}
       */
      from: "source" | "bundle";
      /** @description The project: relative path -> text. Write them out and run `wrangler dev` */
      files: {
        [key: string]: string;
      };
      /** @description Static files that are not text (images, fonts): relative path -> base64 of the bytes */
      binaryFiles?: {
        [key: string]: string;
      };
      data: {
        /** @description data/kv.json, for `wrangler kv bulk put` */
        kv: {
          keys: number;
          maxKeys: number;
          /** @description Bytes exported */
          bytes: number;
          /** @description False when the export stopped at a size bound: the data is partial */
          complete: boolean;
          maxBytes: number;
        };
        /** @description data/db.sql, for `wrangler d1 execute --file`; null on plans without SQL */
        sql: {
          tables: number;
          rows: number;
          /** @description Bytes exported */
          bytes: number;
          /** @description False when the export stopped at a size bound: the data is partial */
          complete: boolean;
          maxBytes: number;
        } | null;
      };
      /** @description Names to set with `wrangler secret put` (values are never exported) */
      secrets: string[];
      /** @description Connections, set as `wrangler secret put connection_NAME` */
      connections: string[];
      notes: string[];
    };
    ApprovalDecision: {
      /** @description Shown to the developer */
      reason?: string;
    };
    ApprovalPolicy: {
      /** @description The plan's requireApprovalForNewEgress */
      plan: boolean;
      /** @description The tenant's override; null follows the plan */
      tenant: boolean | null;
      /** @description What applies */
      required: boolean;
    };
    PutApprovalPolicy: {
      /** @description true or false overrides the plan; null follows it */
      requireApprovalForNewEgress: boolean | null;
    };
    VersionSource: {
      versionId: string;
      main: string;
      /** @description Relative path -> source, as uploaded */
      files: {
        [key: string]: string;
      };
    };
    InvokeResult: {
      status: number;
      requestId: string | null;
      contentType: string | null;
      /** @description The response body as text, cut at 64 KiB */
      body: string;
      truncated: boolean;
      ms: number;
    };
    Invoke: {
      /** @enum {string} */
      method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
      /** @description Path and query, default "/" */
      path?: string;
      /** @description POST/PUT/PATCH: sent as the JSON body; GET/DELETE: an object of query parameters */
      input?: unknown;
    };
    SandboxBuild: components["schemas"]["Upload"] & {
      /** @description Run the project's `npm test` before building */
      runTests?: boolean;
    };
    CustomDomain: {
      /** @example app.example.com */
      hostname: string;
      pulse: string;
      tenantId: string;
      /** @enum {string} */
      status: "pending" | "verified";
      /** @description "dns" or "cloudflare" */
      verifier: string;
      challenge: components["schemas"]["DomainChallenge"];
      /** @description Why the last verification failed */
      lastCheck: string | null;
      url: string;
      createdAt: string;
      verifiedAt: string | null;
    };
    DomainChallenge: {
      /** @description Publish a TXT record with this name and value */
      dns?: {
        /** @enum {string} */
        type: "TXT";
        /** @example _pulse-challenge.app.example.com */
        name: string;
        value: string;
      };
      /** @description Or serve this body at this URL (Cloudflare's HTTP ownership check) */
      http?: {
        url: string;
        body: string;
      };
    };
    AddDomain: {
      /**
       * @description A full hostname; Unicode names are stored as punycode
       * @example app.example.com
       */
      hostname: string;
    };
    CustomDomains: {
      domains: components["schemas"]["CustomDomain"][];
    };
    CustomDomainRemoved: {
      /** @enum {boolean} */
      removed: true;
      hostname: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  listPulses: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Pulses, by name */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            pulses: components["schemas"]["Pulse"][];
          };
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createPulse: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreatePulse"];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Pulse"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readPulse: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The pulse */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Pulse"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deletePulse: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DeleteResult"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listVersions: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Versions */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            versions: components["schemas"]["Version"][];
          };
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  uploadVersion: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["Upload"];
      };
    };
    responses: {
      /** @description Built and stored (and live, with deploy: true) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UploadResult"];
        };
      };
      /** @description Built and stored; the deploy waits for an admin's approval (see approval) */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UploadResult"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Body too large (payload_too_large) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The source was refused or did not build (source_invalid, build_failed, bundle_too_large), or a schedule was refused (schedule_invalid, schedule_too_frequent) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readVersion: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The version */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Version"] & {
            diff: components["schemas"]["ManifestDiff"] | null;
          };
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listDeployments: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description History */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            deployments: components["schemas"]["Deployment"][];
            /** @description Canaries, newest first, with why each was decided */
            canaries: components["schemas"]["Canary"][];
          };
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deployVersion: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["Deploy"];
      };
    };
    responses: {
      /** @description Live */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DeployResult"];
        };
      };
      /** @description Waits for an admin's approval */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DeployResult"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readCanary: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The latest canary, null when there was none */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            canary: components["schemas"]["Canary"] | null;
          };
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  rollback: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["Rollback"];
      };
    };
    responses: {
      /** @description Rolled back */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DeployResult"];
        };
      };
      /** @description Waits for an admin's approval */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DeployResult"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listPulseFiles: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Files, by path */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            files: components["schemas"]["WorkspaceFile"][];
          };
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readPulseFile: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
        /** @description The file's path in the workspace, URL-encoded as one segment (lib%2Fgreet.ts) */
        path: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The bytes */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/octet-stream": string;
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  writePulseFile: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
        /** @description The file's path in the workspace, URL-encoded as one segment (lib%2Fgreet.ts) */
        path: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/octet-stream": string;
      };
    };
    responses: {
      /** @description Stored */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WorkspaceFile"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Body too large (payload_too_large) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deletePulseFile: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
        /** @description The file's path in the workspace, URL-encoded as one segment (lib%2Fgreet.ts) */
        path: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            deleted: true;
            path: string;
          };
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  renamePulseFile: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
        /** @description The file's path in the workspace, URL-encoded as one segment (lib%2Fgreet.ts) */
        path: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["RenameFile"];
      };
    };
    responses: {
      /** @description Renamed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WorkspaceFile"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  uploadVersionFromFiles: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["BuildFromFiles"];
      };
    };
    responses: {
      /** @description Built and stored (and live, with deploy: true) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UploadResult"];
        };
      };
      /** @description Built and stored; the deploy waits for an admin's approval */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UploadResult"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Body too large (payload_too_large) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The source was refused or did not build (source_invalid, build_failed, bundle_too_large), or a schedule was refused (schedule_invalid, schedule_too_frequent) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  putSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
        secret: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["PutSecret"];
      };
    };
    responses: {
      /** @description Stored (no value in the answer) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SecretInfo"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Body too large (payload_too_large) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deleteSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
        secret: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            deleted: true;
            name: string;
          };
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listSecrets: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Listed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            secrets: components["schemas"]["SecretInfo"][];
          };
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  putConnection: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
        secret: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["PutConnection"];
      };
    };
    responses: {
      /** @description Stored (no value in the answer) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SecretInfo"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Body too large (payload_too_large) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deleteConnection: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
        secret: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            deleted: true;
            name: string;
          };
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listConnections: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Listed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            connections: components["schemas"]["SecretInfo"][];
          };
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readPulseEgress: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Rules in order */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EgressRules"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  replacePulseEgress: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["EgressRules"];
      };
    };
    responses: {
      /** @description Stored */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EgressRules"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readTenantEgress: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Rules in order */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EgressRules"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  replaceTenantEgress: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["EgressRules"];
      };
    };
    responses: {
      /** @description Stored */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EgressRules"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readPlanEgress: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        plan: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Rules in order */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EgressRules"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  replacePlanEgress: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        plan: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["EgressRules"];
      };
    };
    responses: {
      /** @description Stored */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EgressRules"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listPlans: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Plans */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            plans: components["schemas"]["Plan"][];
          };
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createPlan: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreatePlan"];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Plan"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readPlan: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        plan: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The plan */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Plan"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updatePlan: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        plan: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UpdatePlan"];
      };
    };
    responses: {
      /** @description Updated */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Plan"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listTenants: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Tenants */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            tenants: components["schemas"]["Tenant"][];
          };
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createTenant: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreateTenant"];
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Tenant"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readTenant: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The tenant */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Tenant"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deleteTenant: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            deleted: true;
            name: string;
            pulsesDeleted: number;
          };
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateTenant: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UpdateTenant"];
      };
    };
    responses: {
      /** @description Updated */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Tenant"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  suspendTenant: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Suspended */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Tenant"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  resumeTenant: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Resumed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Tenant"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  quarantinePulse: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        pulse: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["QuarantineRequest"];
      };
    };
    responses: {
      /** @description Quarantined */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Quarantine"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  releasePulse: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        pulse: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Lifted */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Quarantine"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  issueTenantToken: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["IssueToken"];
      };
    };
    responses: {
      /** @description Issued (shown once) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Token"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getCellTraffic: {
    parameters: {
      query?: {
        /** @description Isolates sent a request after this time only (ms since the epoch) */
        since?: number | null;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description In flight now */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CellTraffic"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  putPulseOnProbation: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          pulseId: string;
          minutes: number;
          reason: string;
        };
      };
    };
    responses: {
      /** @description On probation */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listUsage: {
    parameters: {
      query?: {
        /** @description First UTC day, default 7 days ago */
        from?: string;
        /** @description Last UTC day, default today */
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Usage, oldest day first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            from: string;
            to: string;
            usage: components["schemas"]["UsageRow"][];
          };
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readPulseUsage: {
    parameters: {
      query?: {
        /** @description First UTC day, default 7 days ago */
        from?: string;
        /** @description Last UTC day, default today */
        to?: string;
      };
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Usage, oldest day first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            from: string;
            to: string;
            usage: components["schemas"]["UsageRow"][];
          };
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listAllUsage: {
    parameters: {
      query?: {
        /** @description First UTC day, default 7 days ago */
        from?: string;
        /** @description Last UTC day, default today */
        to?: string;
        /** @description Admins: one tenant's usage (by name) */
        tenant?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Usage */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            from: string;
            to: string;
            usage: components["schemas"]["UsageRow"][];
          };
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readLogs: {
    parameters: {
      query?: {
        /** @description Only entries with a larger id */
        after?: number | null;
        /** @description Default 100 */
        limit?: number;
        /** @description Stream new entries as Server-Sent Events */
        tail?: "1" | "true";
      };
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Entries, oldest first; with tail, an event stream of entries */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            logs: components["schemas"]["LogEntry"][];
          };
          "text/event-stream": string;
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  previewVersion: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
        version: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["PreviewRequest"];
      };
    };
    responses: {
      /** @description The replay, input by input, and its summary */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PreviewReport"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readSchedules: {
    parameters: {
      query?: {
        /** @description How many runs of the history, default 50 */
        runs?: number;
      };
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The schedule */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Schedules"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  putSchedules: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["PutSchedules"];
      };
    };
    responses: {
      /** @description Stored and applied */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Schedules"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The source was refused or did not build (source_invalid, build_failed, bundle_too_large), or a schedule was refused (schedule_invalid, schedule_too_frequent) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  whoAmI: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The caller */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WhoAmI"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readAgentPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The policy */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AgentPolicy"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  putAgentPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AgentPolicy"];
      };
    };
    responses: {
      /** @description Set */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AgentPolicy"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  exportPulse: {
    parameters: {
      query?: {
        /** @description A version id or unique prefix; default: the live version */
        version?: string;
      };
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The project */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Export"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listApprovals: {
    parameters: {
      query?: {
        /** @description Default: pending */
        status?: "pending" | "approved" | "rejected" | "superseded" | "all";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Approvals */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            approvals: components["schemas"]["Approval"][];
          };
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readApproval: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The request */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Approval"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  approveDeploy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["ApprovalDecision"];
      };
    };
    responses: {
      /** @description Decided */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            approval: components["schemas"]["Approval"];
            deployment: components["schemas"]["Deployment"];
          };
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  rejectDeploy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: number;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        "application/json": components["schemas"]["ApprovalDecision"];
      };
    };
    responses: {
      /** @description Decided */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            approval: components["schemas"]["Approval"];
            deployment: components["schemas"]["Deployment"];
          };
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listPulseApprovals: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Approvals */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            approvals: components["schemas"]["Approval"][];
          };
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readApprovalPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenant: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Policy */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApprovalPolicy"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  putApprovalPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenant: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["PutApprovalPolicy"];
      };
    };
    responses: {
      /** @description Policy */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApprovalPolicy"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  readVersionSource: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
        version: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The source */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["VersionSource"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  invokePulse: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["Invoke"];
      };
    };
    responses: {
      /** @description The pulse's answer (whatever its status) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["InvokeResult"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  buildPulse: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["SandboxBuild"];
      };
    };
    responses: {
      /** @description The build's output, then its result */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/x-ndjson": string;
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listPulseDomains: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description By hostname */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CustomDomains"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  addPulseDomain: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AddDomain"];
      };
    };
    responses: {
      /** @description The pulse already has this hostname */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CustomDomain"];
        };
      };
      /** @description Claimed, pending verification */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CustomDomain"];
        };
      };
      /** @description Invalid request (code invalid_request or invalid_pulse_name) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  verifyPulseDomain: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
        /** @description A full hostname; Unicode names are stored as punycode */
        hostname: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Verified: routed to the pulse */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CustomDomain"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Conflict (name_taken, no_previous_version, version_ambiguous) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  removePulseDomain: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        name: string;
        /** @description A full hostname; Unicode names are stored as punycode */
        hostname: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Removed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CustomDomainRemoved"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listAllDomains: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description By hostname */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CustomDomains"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  markDomainVerified: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A full hostname; Unicode names are stored as punycode */
        hostname: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Verified */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CustomDomain"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  revokeDomain: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A full hostname; Unicode names are stored as punycode */
        hostname: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CustomDomainRemoved"];
        };
      };
      /** @description Missing or invalid token (token_* codes) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The token's role may not do this (forbidden) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or not yours (pulse_not_found, version_not_found, tenant_not_found) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
}
