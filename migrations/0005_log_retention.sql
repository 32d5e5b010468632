-- Log retention per plan (hours). Plans without the field get the schema's default (24 h).
UPDATE plans SET limits = json_set(limits, '$.logRetentionHours', 24) WHERE name = 'free';
UPDATE plans SET limits = json_set(limits, '$.logRetentionHours', 168) WHERE name = 'pro';
