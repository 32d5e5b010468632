-- Static files per version (a project's public/): a version names the manifest of its files (path -> content
-- hash, size, type; stored in the bundle bucket under static/manifests/{hash}.json), or NULL when it has none.
-- The dispatcher reads this column with the route it already loads, so a pulse without files costs no extra read.
ALTER TABLE versions ADD COLUMN static_manifest TEXT;

-- Plan allowances (platform/plans.ts, platform/static-files.ts): free fits a small site (200 files, 5 MiB);
-- pro a bundled single-page app with its images and fonts (2,000 files, 20 MiB, the most one upload takes).
UPDATE plans SET limits = json_set(limits, '$.staticFiles', 200, '$.staticBytes', 5242880) WHERE name = 'free';
UPDATE plans SET limits = json_set(limits, '$.staticFiles', 2000, '$.staticBytes', 20971520) WHERE name = 'pro';
