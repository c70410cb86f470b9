BEGIN TRANSACTION;

UPDATE [workflows] SET [lease_owner]=@0,[lease_expires_at]=@1,[last_run_at]=@2 WHERE ([id] = @3 AND ([lease_owner] IS NULL OR [lease_expires_at] IS NULL OR [lease_expires_at] < N'2026-06-01 04:00:00.000 +00:00') AND ([last_run_at] IS NULL OR [last_run_at] < N'2026-06-01 04:00:00.000 +00:00') AND ([state] = @4 AND [enabled] = @5))
-- bind: {"0":"host:1:abc","1":"2026-06-01 04:02:00.000 +00:00","2":"2026-06-01 04:00:00.000 +00:00","3":7,"4":"started","5":true}

COMMIT TRANSACTION;

BEGIN TRANSACTION;

UPDATE [workflows] SET [last_run_at]=@0 WHERE ([id] = @1 AND ([last_run_at] IS NULL OR [last_run_at] < N'2026-06-01 04:00:00.000 +00:00'))
-- bind: {"0":"2026-06-01 04:00:00.000 +00:00","1":7}

COMMIT TRANSACTION;
