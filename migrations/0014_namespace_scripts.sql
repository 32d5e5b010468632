-- On Cloudflare every version that went live is a script in the dispatch namespace. This is the deployer's
-- record of them, so it can keep the live one and the last few that served (the rollback depth) and delete the
-- rest. No foreign key on purpose: a row must outlive its pulse until the script is gone at Cloudflare, so a
-- failed deletion is found and retried by the scheduled sweep.
CREATE TABLE namespace_scripts (
  script_name     TEXT PRIMARY KEY,
  pulse_id        TEXT NOT NULL,
  tenant_id       TEXT NOT NULL,
  version_id      TEXT NOT NULL,
  uploaded_at     INTEGER NOT NULL,
  retired_at      INTEGER,            -- first seen not live by a sweep; NULL while live (or not yet swept)
  delete_attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,            -- after a failed deletion: not retried before
  last_error      TEXT                -- the API's answer to the last failed deletion (codes, no secrets)
);
CREATE INDEX namespace_scripts_by_pulse ON namespace_scripts(pulse_id, retired_at);
CREATE INDEX namespace_scripts_by_tenant ON namespace_scripts(tenant_id);
