-- Control plane: build cache key on versions, and the audit log.

-- Hash of (main, files, runtime shim): an identical upload reuses the stored bundle instead of building.
ALTER TABLE versions ADD COLUMN source_hash TEXT;
CREATE INDEX versions_by_source ON versions(source_hash);

-- Every mutating control-plane call: who, what, when, outcome. Kept after the pulse it names is deleted.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  actor       TEXT,               -- token subject; NULL when the call was not authenticated
  role        TEXT,
  tenant_id   TEXT,
  action      TEXT NOT NULL,      -- "POST /v1/pulses/counter/versions"
  status      INTEGER NOT NULL,   -- HTTP status of the answer
  outcome     TEXT NOT NULL,      -- "ok" or the error code
  request_id  TEXT NOT NULL
);
CREATE INDEX audit_by_tenant ON audit_log(tenant_id, id);
