-- Capability manifests per version, and admin approval of deploys that add egress hosts or secrets.

-- JSON (platform/manifest.ts): env.db, secrets and connections referenced, egress hosts, schedules, bundle size.
-- Written with the version row; NULL for versions built before manifests were kept.
ALTER TABLE versions ADD COLUMN manifest TEXT;

-- Plan field requireApprovalForNewEgress (absent = false). The tenant override wins when set: 1 requires, 0 waives.
UPDATE plans SET limits = json_set(limits, '$.requireApprovalForNewEgress', json('false')) WHERE name IN ('free', 'pro');
ALTER TABLE tenants ADD COLUMN require_approval_for_new_egress INTEGER CHECK (require_approval_for_new_egress IN (0, 1));

-- A deploy (or rollback) held for an admin. The version serves only once approved; rejection leaves the live
-- version as it was. A newer request for the same pulse supersedes a pending one.
CREATE TABLE deploy_approvals (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  pulse_id      TEXT NOT NULL REFERENCES pulses(id) ON DELETE CASCADE,
  version_id    TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('deploy', 'rollback')),
  status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
  diff          TEXT NOT NULL,      -- JSON ManifestDiff against the version live when it was requested
  requested_by  TEXT NOT NULL,      -- token subject
  requested_at  INTEGER NOT NULL,
  decided_by    TEXT,
  decided_at    INTEGER,
  reason        TEXT,
  FOREIGN KEY (pulse_id, version_id) REFERENCES versions(pulse_id, id) ON DELETE CASCADE
);
CREATE INDEX deploy_approvals_by_status ON deploy_approvals(status, id);
CREATE INDEX deploy_approvals_by_pulse ON deploy_approvals(pulse_id, id);
