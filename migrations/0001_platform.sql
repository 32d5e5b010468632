-- The platform's own database: who owns what, which code exists, and which version serves.
-- Times are UNIX milliseconds. Ids are lowercase [a-z0-9] (DNS-label safe, never ":").

-- Plans decide what a tenant's pulses may use. Limits and features arrive with the plans migration;
-- the row exists now because every tenant has a plan.
CREATE TABLE plans (
  name        TEXT PRIMARY KEY CHECK (name GLOB '[a-z0-9]*' AND length(name) BETWEEN 1 AND 40),
  created_at  INTEGER NOT NULL
);
INSERT INTO plans (name, created_at) VALUES ('free', 0), ('pro', 0);

CREATE TABLE tenants (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  plan        TEXT NOT NULL REFERENCES plans(name),
  status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at  INTEGER NOT NULL
);

-- id is the pulse's VIBE_ID (its KV prefix). It is never reused, unlike name, which frees up on delete.
CREATE TABLE pulses (
  id                 TEXT PRIMARY KEY,
  name               TEXT NOT NULL UNIQUE,
  tenant_id          TEXT NOT NULL REFERENCES tenants(id),
  active_version_id  TEXT,
  created_at         INTEGER NOT NULL,
  FOREIGN KEY (id, active_version_id) REFERENCES versions(pulse_id, id)
);
CREATE INDEX pulses_by_tenant ON pulses(tenant_id);

-- Immutable: a row is written only after its bundle is stored, and never updated.
CREATE TABLE versions (
  pulse_id    TEXT NOT NULL REFERENCES pulses(id) ON DELETE CASCADE,
  id          TEXT NOT NULL CHECK (length(id) = 64),
  bundle_key  TEXT NOT NULL,
  size_bytes  INTEGER NOT NULL CHECK (size_bytes > 0),
  created_at  INTEGER NOT NULL,
  created_by  TEXT,
  PRIMARY KEY (pulse_id, id)
);

-- History of the active-version pointer: every switch (deploy or rollback) appends one row.
CREATE TABLE deployments (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  pulse_id             TEXT NOT NULL REFERENCES pulses(id) ON DELETE CASCADE,
  version_id           TEXT NOT NULL,
  previous_version_id  TEXT,
  kind                 TEXT NOT NULL CHECK (kind IN ('deploy', 'rollback')),
  created_at           INTEGER NOT NULL,
  created_by           TEXT,
  FOREIGN KEY (pulse_id, version_id) REFERENCES versions(pulse_id, id)
);
CREATE INDEX deployments_by_pulse ON deployments(pulse_id, id);
