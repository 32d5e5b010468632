-- Plans get their limits; pulses can be quarantined by the runtime watchdog; usage is metered per day.

-- Limits as JSON validated by the admin API (platform/plans.ts): sql, requestsPerMinute, kvOpsPerRequest,
-- kvValueBytes, requestBodyBytes, subrequestsPerRequest, cpuMs, wallMs, maxPulses, logRetentionHours.
ALTER TABLE plans ADD COLUMN limits TEXT NOT NULL DEFAULT '{}';
ALTER TABLE plans ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;

UPDATE plans SET limits = '{"sql":false,"requestsPerMinute":600,"kvOpsPerRequest":50,"kvValueBytes":1048576,"requestBodyBytes":1048576,"subrequestsPerRequest":5,"cpuMs":50,"wallMs":10000,"maxPulses":5}' WHERE name = 'free';
UPDATE plans SET limits = '{"sql":true,"requestsPerMinute":6000,"kvOpsPerRequest":1000,"kvValueBytes":26214400,"requestBodyBytes":10485760,"subrequestsPerRequest":50,"cpuMs":300,"wallMs":30000,"maxPulses":100}' WHERE name = 'pro';

-- Set by the local runtime watchdog when a pulse stalled the runtime: it answers 503 until then or a new deploy.
ALTER TABLE pulses ADD COLUMN quarantined_until INTEGER;

CREATE TABLE usage_daily (
  pulse_id     TEXT NOT NULL,          -- no foreign key: usage outlives a deleted pulse for billing
  tenant_id    TEXT NOT NULL,
  day          TEXT NOT NULL,          -- UTC, YYYY-MM-DD
  requests     INTEGER NOT NULL DEFAULT 0,
  errors       INTEGER NOT NULL DEFAULT 0,
  kv_ops       INTEGER NOT NULL DEFAULT 0,
  subrequests  INTEGER NOT NULL DEFAULT 0,
  wall_ms      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (pulse_id, day)
);
CREATE INDEX usage_by_tenant ON usage_daily(tenant_id, day);
