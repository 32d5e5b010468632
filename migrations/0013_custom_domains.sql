-- Custom domains: a developer's own hostname (app.example.com) served by one pulse once its ownership is
-- proven. The dispatcher routes only rows with status 'verified'.

CREATE TABLE custom_domains (
  -- Lowercase ASCII (IDNA/punycode), no trailing dot: the one spelling every lookup uses.
  hostname      TEXT PRIMARY KEY,
  pulse_id      TEXT NOT NULL REFERENCES pulses(id) ON DELETE CASCADE,
  tenant_id     TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified')),
  -- Random; the value of the TXT record _pulse-challenge.{hostname} (local verifier).
  token         TEXT NOT NULL,
  -- "local" or "cloudflare": which verifier issued the challenge.
  verifier      TEXT NOT NULL,
  -- The verifier's own id for the hostname (a Cloudflare custom hostname id); NULL locally.
  provider_id   TEXT,
  -- What the developer must publish, as JSON (DNS TXT name and value, or an HTTP URL and body).
  challenge     TEXT NOT NULL,
  -- The last check's finding, for the developer ("no TXT record found").
  last_check    TEXT,
  created_at    INTEGER NOT NULL,
  checked_at    INTEGER,
  verified_at   INTEGER,
  -- Who marked it verified: NULL when the check passed, an admin's subject when an admin did.
  verified_by   TEXT
);
CREATE INDEX custom_domains_by_pulse ON custom_domains(pulse_id);
