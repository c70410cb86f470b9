ALTER TABLE [smtp_stats] ADD [first_attempts] INTEGER NOT NULL DEFAULT 0;

ALTER TABLE [smtp_stats] ADD [first_attempt_errors] INTEGER NOT NULL DEFAULT 0;

ALTER TABLE [smtp_stats] ADD [recovered] INTEGER NOT NULL DEFAULT 0;

ALTER TABLE [mta_throttle] ADD [blocked_at_ms] BIGINT NOT NULL DEFAULT 0;

ALTER TABLE [mta_throttle] ADD [unblocked_at_ms] BIGINT NOT NULL DEFAULT 0;
