-- Shadow replay: how many recent invocations of each pulse are kept to replay against a candidate version.
-- Plans without the field record nothing (platform/plans.ts).
UPDATE plans SET limits = json_set(limits, '$.replayInvocations', 20) WHERE name = 'free';
UPDATE plans SET limits = json_set(limits, '$.replayInvocations', 100) WHERE name = 'pro';
