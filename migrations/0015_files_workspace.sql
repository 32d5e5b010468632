-- A draft of each pulse's files, edited one file at a time (studio, CLI, MCP) and built into a version on
-- request. Bytes are content-addressed in the bundle bucket (static/blobs/{sha256}, shared with static files);
-- a row names a path's current bytes. Files under public/ become the version's static files, the rest its source.
CREATE TABLE workspace_files (
  pulse_id   TEXT NOT NULL REFERENCES pulses(id),
  path       TEXT NOT NULL,
  hash       TEXT NOT NULL,
  size       INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (pulse_id, path)
);
