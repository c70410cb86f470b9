SELECT [recipient_id] AS [recipientId], [url_type] AS [urlType] FROM [tracking_logs] AS [TrackingLog] WHERE [TrackingLog].[bot] IS NULL AND [TrackingLog].[delivery_id] = 42 AND [TrackingLog].[recipient_id] IN (1, 2, 3) GROUP BY [recipient_id], [url_type];

SELECT [id], [recipient_id] AS [recipientId] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[delivery_id] = 42 AND [BroadLog].[recipient_id] IN (1, 2, 3);

SELECT [delivery_id] AS [deliveryId], [status], COUNT([id]) AS [n] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[delivery_id] IN (42, 43) GROUP BY [delivery_id], [status];

SELECT [id], [email] FROM [recipients] AS [Recipient] WHERE [Recipient].[email] IN (N'a@example.com');

BEGIN TRANSACTION;

SELECT [id], [service_id] AS [serviceId], [recipient_id] AS [recipientId] FROM [subscriptions] AS [Subscription] WHERE ([Subscription].[status] IN (N'active', N'pending') AND [Subscription].[expires_at] = N'2026-06-01 04:00:00.000 +00:00') ORDER BY [Subscription].[id] ASC OFFSET 0 ROWS FETCH NEXT 500 ROWS ONLY;

COMMIT TRANSACTION;

SELECT [id], [domain], [slot_start] AS [slotStart], [connections], [messages], [sent], [soft_errors] AS [softErrors], [hard_errors] AS [hardErrors], [timeouts], [refused_connections] AS [refusedConnections], [first_attempts] AS [firstAttempts], [first_attempt_errors] AS [firstAttemptErrors], [recovered], [last_response] AS [lastResponse], [updated_at] AS [updatedAt] FROM [smtp_stats] AS [SmtpStat] WHERE ([SmtpStat].[slot_start] >= N'2026-05-25 00:00:00.000 +00:00' AND [SmtpStat].[slot_start] < N'2026-05-31 00:00:00.000 +00:00') ORDER BY [SmtpStat].[domain] ASC, [slotStart] ASC;
