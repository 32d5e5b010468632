-- Secrets the pulse may sign with through env.crypto (HMAC, HS256 JWT) without seeing them. Off unless the
-- developer opts in when setting the secret: a key meant for one API should not also become a signing oracle.
ALTER TABLE secrets ADD COLUMN allow_signing INTEGER NOT NULL DEFAULT 0;
