BEGIN TRANSACTION;

WITH due AS (SELECT TOP (@limit) * FROM broad_logs WITH (UPDLOCK, READPAST, ROWLOCK) WHERE status = N'pending' AND delivery_id = @delivery AND (next_attempt_at IS NULL OR next_attempt_at <= @now) AND (lease_owner IS NULL OR lease_expires_at < @now) ORDER BY next_attempt_at, id) UPDATE due SET lease_owner = @owner, lease_expires_at = @until, updated_at = @now OUTPUT inserted.id, inserted.delivery_id, inserted.recipient_id, inserted.address, inserted.email_format, inserted.attempts;
-- bind: {"limit":500,"delivery":42,"now":"2026-01-02T03:04:05.000Z","owner":"mta-a","until":"2026-01-02T03:19:05.000Z"}

COMMIT TRANSACTION;
