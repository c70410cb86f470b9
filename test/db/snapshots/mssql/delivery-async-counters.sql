BEGIN TRANSACTION;

SELECT [id], [delivery_id] AS [deliveryId] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[id] IN (5, 6) AND [BroadLog].[complained_at] IS NULL;

UPDATE [deliveries] SET [complaints]=[complaints]+ 2 OUTPUT INSERTED.* WHERE [id] = 9

UPDATE [deliveries] SET [sent]=[sent]+ -1,[failed]=[failed]+ 1 OUTPUT INSERTED.* WHERE [id] = 9

COMMIT TRANSACTION;
