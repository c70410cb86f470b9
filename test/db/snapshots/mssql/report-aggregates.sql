SELECT [delivery_id] AS [deliveryId], COUNT(*) AS [n] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[status] = N'failed' AND [BroadLog].[delivery_id] IN (7, 8) GROUP BY [delivery_id];

SELECT [delivery_id] AS [deliveryId], SUM([messages]) AS [n] FROM [delivery_failure_stats] AS [DeliveryFailureStat] WHERE [DeliveryFailureStat].[delivery_id] IN (7, 8) GROUP BY [delivery_id];

SELECT LOWER(SUBSTRING([address], CHARINDEX('@', [address]) + 1, 320)) AS [domain], [failure_type] AS [failureType], [failure_reason] AS [failureReason], COUNT(*) AS [n] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[status] = N'failed' AND [BroadLog].[delivery_id] = 7 GROUP BY LOWER(SUBSTRING([address], CHARINDEX('@', [address]) + 1, 320)), [failure_type], [failure_reason];

BEGIN TRANSACTION;

DELETE FROM [delivery_failure_stats] WHERE [delivery_id] = 7; SELECT @@ROWCOUNT AS AFFECTEDROWS;

INSERT INTO [delivery_failure_stats] ([delivery_id],[domain],[failure_type],[failure_reason],[messages],[computed_at]) OUTPUT INSERTED.[delivery_id],INSERTED.[domain],INSERTED.[failure_type],INSERTED.[failure_reason],INSERTED.[messages],INSERTED.[computed_at] VALUES (7,N'example.com',N'hard',N'user_unknown',3,'2026-03-02 12:00:00.000 +00:00');

COMMIT TRANSACTION;

SELECT max([slot]) AS [max] FROM [subscription_slot_stats] AS [SubscriptionSlotStat];

SELECT min([at]) AS [min] FROM [subscription_history] AS [SubscriptionHistory];

SELECT [service_id] AS [serviceId], CONVERT(char(16), DATEADD(minute, (DATEPART(minute, [at]) / 15) * 15, DATEADD(hour, DATEDIFF(hour, 0, [at]), 0)), 120) AS [slot], [action], COUNT(*) AS [n] FROM [subscription_history] AS [SubscriptionHistory] WHERE [SubscriptionHistory].[at] >= N'2026-03-01 00:00:00.000 +00:00' GROUP BY [service_id], CONVERT(char(16), DATEADD(minute, (DATEPART(minute, [at]) / 15) * 15, DATEADD(hour, DATEDIFF(hour, 0, [at]), 0)), 120), [action];

BEGIN TRANSACTION;

DELETE FROM [subscription_slot_stats] WHERE [slot] >= N'2026-03-01'; SELECT @@ROWCOUNT AS AFFECTEDROWS;

INSERT INTO [subscription_slot_stats] ([service_id],[slot],[subscribed],[confirmed],[unsubscribed],[expired],[computed_at]) OUTPUT INSERTED.[service_id],INSERTED.[slot],INSERTED.[subscribed],INSERTED.[confirmed],INSERTED.[unsubscribed],INSERTED.[expired],INSERTED.[computed_at] VALUES (1,N'2026-03-01 23:45',2,1,0,0,'2026-03-02 12:00:00.000 +00:00');

COMMIT TRANSACTION;
