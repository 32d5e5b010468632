-- Scheduled pulses: the cron expressions of each pulse (from its live version's `schedule` export, or an
-- override set through the API), and the plan's minimum time between two runs.

CREATE TABLE pulse_schedules (
  pulse_id        TEXT PRIMARY KEY REFERENCES pulses(id) ON DELETE CASCADE,
  version_id      TEXT,               -- the version whose export version_crons holds
  version_crons   TEXT,               -- JSON array from that version's `schedule` export; NULL: it has none
  override_crons  TEXT,               -- JSON array set by PUT /v1/pulses/{name}/schedules; NULL: use the version's
  paused          INTEGER NOT NULL DEFAULT 0,
  updated_at      INTEGER NOT NULL,
  updated_by      TEXT
);

-- Free: at most every 5 minutes; pro: every minute (the finest a 5-field expression can ask for).
UPDATE plans SET limits = json_set(limits, '$.minScheduleIntervalSeconds', 300) WHERE name = 'free';
UPDATE plans SET limits = json_set(limits, '$.minScheduleIntervalSeconds', 60) WHERE name = 'pro';
