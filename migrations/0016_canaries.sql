-- Canary deploys (docs/canary.md): a second version on a pulse's route with a share of its end users'
-- traffic, compared with the live version over a window, then promoted or rolled back by the data plane.
-- At most one canary per pulse is open (outcome NULL); closed rows are the canary's part of the history.
CREATE TABLE canaries (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  pulse_id            TEXT NOT NULL REFERENCES pulses(id),
  version_id          TEXT NOT NULL,
  live_version_id     TEXT NOT NULL,
  share_percent       INTEGER NOT NULL CHECK (share_percent BETWEEN 1 AND 50),
  -- The rule's settings, fixed when the canary starts (platform/canary-rule.ts).
  window_ms           INTEGER NOT NULL,
  min_requests        INTEGER NOT NULL,
  min_latency_samples INTEGER NOT NULL,
  -- The canary version's schedule export, checked at the start and recorded on promotion (JSON, NULL: none).
  crons               TEXT,
  started_at          INTEGER NOT NULL,
  started_by          TEXT,
  -- promoted / rolled_back by the rule; ended when a deploy or rollback replaced it.
  outcome             TEXT CHECK (outcome IN ('promoted', 'rolled_back', 'ended')),
  reason              TEXT,
  figures             TEXT,
  decided_at          INTEGER,
  -- Written by the one decision that wins; the statements that follow it in its batch check for it.
  decision_token      TEXT,
  deployment_id       INTEGER,
  FOREIGN KEY (pulse_id, version_id) REFERENCES versions(pulse_id, id)
);
CREATE UNIQUE INDEX canaries_one_open ON canaries(pulse_id) WHERE outcome IS NULL;
CREATE INDEX canaries_by_pulse ON canaries(pulse_id, id);

-- Per side and latency bucket: requests and 5xx answers, added by the data plane's usage flush.
CREATE TABLE canary_samples (
  canary_id INTEGER NOT NULL REFERENCES canaries(id),
  arm       TEXT NOT NULL CHECK (arm IN ('live', 'canary')),
  bucket    INTEGER NOT NULL,
  requests  INTEGER NOT NULL,
  errors    INTEGER NOT NULL,
  PRIMARY KEY (canary_id, arm, bucket)
);
