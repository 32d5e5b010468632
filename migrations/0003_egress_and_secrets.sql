-- Egress rules (plan defaults, tenant and pulse rules) and secrets (sealed values with the hosts they may reach).

CREATE TABLE egress_rules (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  scope       TEXT NOT NULL CHECK (scope IN ('plan', 'tenant', 'pulse')),
  scope_id    TEXT NOT NULL,          -- plan name, tenant id or pulse id
  position    INTEGER NOT NULL,       -- first match wins inside a layer
  rule        TEXT NOT NULL,          -- JSON: { action, host, schemes?, ports? }, validated by the API
  created_at  INTEGER NOT NULL
);
CREATE INDEX egress_rules_by_scope ON egress_rules(scope, scope_id, position);

-- Plans start open to the public internet; internal addresses stay blocked whatever the rules say.
INSERT INTO egress_rules (scope, scope_id, position, rule, created_at) VALUES
  ('plan', 'free', 0, '{"action":"allow","host":"*"}', 0),
  ('plan', 'pro', 0, '{"action":"allow","host":"*"}', 0);

CREATE TABLE secrets (
  pulse_id       TEXT NOT NULL REFERENCES pulses(id) ON DELETE CASCADE,
  kind           TEXT NOT NULL CHECK (kind IN ('secret', 'connection')),
  name           TEXT NOT NULL,
  key_id         TEXT NOT NULL,       -- keyring id that sealed it
  ciphertext     TEXT NOT NULL,       -- AES-256-GCM, base64(iv || ciphertext || tag)
  allowed_hosts  TEXT NOT NULL,       -- JSON array of host patterns
  allow_in_url   INTEGER NOT NULL DEFAULT 0,
  allow_in_body  INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (pulse_id, kind, name)
);
