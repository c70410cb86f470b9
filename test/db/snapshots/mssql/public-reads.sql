SELECT [broad_log_id] AS [broadLogId], [ctx] FROM [events] AS [TransactionalEvent] WHERE [TransactionalEvent].[broad_log_id] IN (1, 2, 3);

SELECT [id], [address], [domain], [channel], [status], [failure_type] AS [failureType], [failure_reason] AS [failureReason], [error_count] AS [errorCount], [last_error_at] AS [lastErrorAt], [text], [delivery_id] AS [deliveryId], [created_at] AS [createdAt], [updated_at] AS [updatedAt] FROM [quarantines] AS [Quarantine] WHERE [Quarantine].[id] > 10 AND [Quarantine].[status] != N'valid' ORDER BY [Quarantine].[id] ASC OFFSET 0 ROWS FETCH NEXT 50 ROWS ONLY;

SELECT [id], [hit_id] AS [hitId], [delivery_id] AS [deliveryId], [broad_log_id] AS [broadLogId], [recipient_id] AS [recipientId], [url_id] AS [urlId], [url_type] AS [urlType], [logged_at] AS [loggedAt], [source_id] AS [sourceId], [ip], [user_agent] AS [userAgent], [bot], [server], [created_at] AS [createdAt] FROM [tracking_logs] AS [TrackingLog] WHERE [TrackingLog].[id] > 42 AND [TrackingLog].[url_type] = N'click' ORDER BY [TrackingLog].[id] ASC OFFSET 0 ROWS FETCH NEXT 100 ROWS ONLY;

SELECT [id], [address], [domain], [channel], [status], [failure_type] AS [failureType], [failure_reason] AS [failureReason], [error_count] AS [errorCount], [last_error_at] AS [lastErrorAt], [text], [delivery_id] AS [deliveryId], [created_at] AS [createdAt], [updated_at] AS [updatedAt] FROM [quarantines] AS [Quarantine] WHERE ([Quarantine].[updated_at] > N'2026-03-04 05:06:07.000 +00:00' OR ([Quarantine].[id] > 7 AND [Quarantine].[updated_at] = N'2026-03-04 05:06:07.000 +00:00')) AND [Quarantine].[status] IN (N'with_errors', N'quarantine', N'denylisted') ORDER BY [updatedAt] ASC, [Quarantine].[id] ASC OFFSET 0 ROWS FETCH NEXT 100 ROWS ONLY;

SELECT [id], [service_id] AS [serviceId], [recipient_id] AS [recipientId], [action], [origin], [at] FROM [subscription_history] AS [SubscriptionHistory] WHERE [SubscriptionHistory].[id] > 42 AND [SubscriptionHistory].[action] = N'unsubscribe' ORDER BY [SubscriptionHistory].[id] ASC OFFSET 0 ROWS FETCH NEXT 100 ROWS ONLY;

BEGIN TRANSACTION;

MERGE INTO [webhook_cursors] WITH(HOLDLOCK) AS [webhook_cursors_target] USING (VALUES(N'clicks', N'43', '2026-03-04 05:06:07.000 +00:00')) AS [webhook_cursors_source]([source], [position], [updated_at]) ON [webhook_cursors_target].[source] = [webhook_cursors_source].[source] WHEN MATCHED THEN UPDATE SET [webhook_cursors_target].[source] = N'clicks', [webhook_cursors_target].[position] = N'43', [webhook_cursors_target].[updated_at] = '2026-03-04 05:06:07.000 +00:00' WHEN NOT MATCHED THEN INSERT ([source], [position], [updated_at]) VALUES(N'clicks', N'43', '2026-03-04 05:06:07.000 +00:00') OUTPUT $action, INSERTED.*;

COMMIT TRANSACTION;
