-- Agents as developers (MCP at /v1/mcp): sessions that remember the client's name, single-use confirmations
-- for destructive tools, the tenant setting that asks for them, and the client name in the audit log.

-- Who made the call: "mcp:<client name>/<version>" for calls made through the MCP server, NULL otherwise.
ALTER TABLE audit_log ADD COLUMN client TEXT;

-- 1: delete_pulse and rollback over MCP need a confirmation token (set by admins, so an agent holding the
-- tenant's developer token cannot lift it).
ALTER TABLE tenants ADD COLUMN agent_confirm_destructive INTEGER NOT NULL DEFAULT 0;

-- An MCP session: created by `initialize`, bound to the token's tenant and subject.
CREATE TABLE mcp_sessions (
  id             TEXT PRIMARY KEY,   -- random, sent back by the client in Mcp-Session-Id
  tenant_id      TEXT NOT NULL,
  subject        TEXT NOT NULL,
  client_name    TEXT NOT NULL,      -- clientInfo.name from initialize (self-declared: attribution, not identity)
  client_version TEXT,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL
);
CREATE INDEX mcp_sessions_expiry ON mcp_sessions(expires_at);

-- A pending confirmation: only the SHA-256 of the token is kept; bound to tenant, subject, tool and arguments.
CREATE TABLE mcp_confirmations (
  token_hash TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  subject    TEXT NOT NULL,
  tool       TEXT NOT NULL,
  args_hash  TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
