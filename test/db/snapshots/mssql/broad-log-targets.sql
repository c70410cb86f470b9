SELECT [id], [delivery_id] AS [deliveryId], [recipient_id] AS [recipientId], [address], [status] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[id] IN (3, 4);

SELECT [id], [service_id] AS [serviceId] FROM [deliveries] AS [Delivery] WHERE [Delivery].[id] IN (5);
