BEGIN TRANSACTION;

UPDATE TOP(500) [broad_logs] SET [status]=@0,[updated_at]=@1 WHERE (([status] = @2 AND [delivery_id] = @3) AND ([lease_owner] IS NULL OR [lease_expires_at] IS NULL OR [lease_expires_at] < N'2026-06-01 04:00:00.000 +00:00'))
-- bind: {"0":"cancelled","1":"2026-06-01 04:00:00.000 +00:00","2":"pending","3":42}

COMMIT TRANSACTION;

SELECT count(*) AS [count] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[status] = N'pending' AND [BroadLog].[delivery_id] = 42;
