SELECT [id], [type] FROM [tracking_urls] AS [TrackingUrl] WHERE [TrackingUrl].[delivery_id] = 7;

SELECT [url_id] AS [urlId], [slot_start] AS [slotStart], [clicks], [human_clicks] AS [humanClicks] FROM [tracking_stats] AS [TrackingStat] WHERE [TrackingStat].[delivery_id] = 7 ORDER BY [slotStart] ASC;

SELECT [id], [type], [label], [url] FROM [tracking_urls] AS [TrackingUrl] WHERE [TrackingUrl].[delivery_id] = 7 ORDER BY [TrackingUrl].[id] ASC;

SELECT [url_id] AS [urlId], SUM([clicks]) AS [hits], SUM([human_clicks]) AS [human] FROM [tracking_stats] AS [TrackingStat] WHERE [TrackingStat].[delivery_id] = 7 GROUP BY [url_id];

SELECT [delivery_id] AS [deliveryId], [domain], [failure_type] AS [failureType], [failure_reason] AS [failureReason], [messages], [computed_at] AS [computedAt] FROM [delivery_failure_stats] AS [DeliveryFailureStat] WHERE [DeliveryFailureStat].[delivery_id] = 7 ORDER BY [DeliveryFailureStat].[messages] DESC, [DeliveryFailureStat].[domain] ASC;

SELECT [domain], SUM([connections]) AS [connections], SUM([messages]) AS [messages], SUM([sent]) AS [sent], SUM([soft_errors]) AS [softErrors], SUM([hard_errors]) AS [hardErrors], SUM([timeouts]) AS [timeouts], SUM([refused_connections]) AS [refusedConnections] FROM [smtp_stats] AS [SmtpStat] WHERE ([SmtpStat].[slot_start] >= N'2026-02-23 12:00:00.000 +00:00' AND [SmtpStat].[slot_start] < N'2026-03-02 12:00:00.000 +00:00') GROUP BY [domain] ORDER BY SUM(messages) DESC, [SmtpStat].[domain] ASC OFFSET 0 ROWS FETCH NEXT 200 ROWS ONLY;

SELECT [slot_start] AS [slotStart], SUM([messages]) AS [messages], SUM([sent]) AS [sent], SUM([soft_errors]) AS [softErrors], SUM([hard_errors]) AS [hardErrors] FROM [smtp_stats] AS [SmtpStat] WHERE ([SmtpStat].[slot_start] >= N'2026-03-01 12:00:00.000 +00:00' AND [SmtpStat].[slot_start] < N'2026-03-02 12:00:00.000 +00:00') GROUP BY [slot_start] ORDER BY [slotStart] ASC;

SELECT [status], [failure_reason] AS [failureReason], COUNT(*) AS [n] FROM [quarantines] AS [Quarantine] GROUP BY [status], [failure_reason];

SELECT [domain], COUNT(*) AS [n] FROM [quarantines] AS [Quarantine] WHERE [Quarantine].[status] IN (N'quarantine', N'denylisted') GROUP BY [domain] ORDER BY COUNT(*) DESC, [Quarantine].[domain] ASC OFFSET 0 ROWS FETCH NEXT 20 ROWS ONLY;

SELECT [id], [address], [status], [failure_type] AS [failureType], [failure_reason] AS [failureReason], [error_count] AS [errorCount], [updated_at] AS [updatedAt] FROM [quarantines] AS [Quarantine] WHERE [Quarantine].[status] = N'quarantine' ORDER BY [updatedAt] DESC OFFSET 0 ROWS FETCH NEXT 20 ROWS ONLY;

SELECT [service_id] AS [serviceId], [slot], [subscribed], [confirmed], [unsubscribed], [expired], [computed_at] AS [computedAt] FROM [subscription_slot_stats] AS [SubscriptionSlotStat] WHERE [SubscriptionSlotStat].[slot] >= N'2026-01-01 15:00' AND [SubscriptionSlotStat].[service_id] = 1 ORDER BY [SubscriptionSlotStat].[slot] ASC;
