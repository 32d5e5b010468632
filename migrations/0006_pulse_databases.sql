-- On Cloudflare each pulse with SQL has its own D1 database, created by the deployer through the API and bound
-- into the pulse's script as env.db. No foreign key on purpose: the row must outlive the pulse row until the
-- database itself has been deleted at Cloudflare, so a failed cleanup can be found and retried.
CREATE TABLE pulse_databases (
  pulse_id     TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL,
  database_id  TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL
);
CREATE INDEX pulse_databases_by_tenant ON pulse_databases(tenant_id);
