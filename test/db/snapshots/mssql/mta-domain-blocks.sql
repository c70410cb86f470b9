SELECT [key], [tat_ms] AS [tatMs], [blocked_until_ms] AS [blockedUntilMs], [block_reason] AS [blockReason], [blocked_at_ms] AS [blockedAtMs], [unblocked_at_ms] AS [unblockedAtMs], [updated_at] AS [updatedAt] FROM [mta_throttle] AS [MtaThrottle] WHERE [MtaThrottle].[blocked_until_ms] > 1772445600000 ORDER BY [MtaThrottle].[key] ASC;

SELECT [key] FROM [mta_throttle] AS [MtaThrottle] WHERE [MtaThrottle].[unblocked_at_ms] > 1772442000000;

BEGIN TRANSACTION;

SELECT [key], [tat_ms] AS [tatMs], [blocked_until_ms] AS [blockedUntilMs], [block_reason] AS [blockReason], [blocked_at_ms] AS [blockedAtMs], [unblocked_at_ms] AS [unblockedAtMs], [updated_at] AS [updatedAt] FROM [mta_throttle] AS [MtaThrottle] WHERE [MtaThrottle].[key] = N'domain:ex_am%ple.com' AND [MtaThrottle].[blocked_until_ms] > 1772445600000;

COMMIT TRANSACTION;

BEGIN TRANSACTION;

UPDATE [broad_logs] SET [next_attempt_at]=@0 WHERE [status] = @1 AND [address] LIKE N'%@ex\_am\%ple.com' ESCAPE '\' AND [next_attempt_at] > N'2026-03-02 10:00:00.000 +00:00'
-- bind: {"0":"2026-03-02 10:00:00.000 +00:00","1":"pending"}

COMMIT TRANSACTION;
