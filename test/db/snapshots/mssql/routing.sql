SELECT [id], [delivery_id] AS [deliveryId], [channel], [provider], [file_name] AS [fileName], [status], [messages], [message_cost] AS [messageCost], [delivery_cost] AS [deliveryCost], [currency], [error], [created_at] AS [createdAt], [written_at] AS [writtenAt], [uploaded_at] AS [uploadedAt] FROM [routing_extractions] AS [RoutingExtraction] WHERE [RoutingExtraction].[provider] = N'printer' AND [RoutingExtraction].[status] = N'preparing' ORDER BY [RoutingExtraction].[id] ASC;

BEGIN TRANSACTION;

SELECT [id] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[status] = N'pending' AND [BroadLog].[delivery_id] = 3 AND [BroadLog].[extraction_id] IS NULL ORDER BY [BroadLog].[id] ASC OFFSET 0 ROWS FETCH NEXT 500 ROWS ONLY;

COMMIT TRANSACTION;

SELECT [id], [delivery_id] AS [deliveryId], [recipient_id] AS [recipientId], [address] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[extraction_id] = 9 ORDER BY [BroadLog].[id] ASC;

BEGIN TRANSACTION;

UPDATE [routing_extractions] SET [status]=@0,[file_name]=@1,[written_at]=@2 WHERE [id] = @3 AND [status] = @4
-- bind: {"0":"written","1":"f.csv","2":"2026-03-02 10:00:00.000 +00:00","3":9,"4":"preparing"}

COMMIT TRANSACTION;

BEGIN TRANSACTION;

UPDATE [routing_extractions] SET [status]=@0,[uploaded_at]=@1,[error]=@2 WHERE [id] = @3 AND [status] = @4
-- bind: {"0":"uploaded","1":"2026-03-02 10:00:00.000 +00:00","2":null,"3":9,"4":"written"}

COMMIT TRANSACTION;

SELECT [id], [delivery_id] AS [deliveryId], [address], [status], [receipt_status] AS [receiptStatus], [extraction_id] AS [extractionId] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[id] IN (11, 12) AND [BroadLog].[extraction_id] IS NOT NULL;

BEGIN TRANSACTION;

UPDATE [broad_logs] SET [receipt_status]=@0,[receipt_at]=@1 WHERE [id] = @2
-- bind: {"0":"bad_address","1":"2026-03-02 10:00:00.000 +00:00","2":11}

INSERT INTO [routing_returns] ([provider],[file_name],[rows_read],[applied],[unchanged],[rejected],[imported_at]) OUTPUT INSERTED.[id],INSERTED.[provider],INSERTED.[file_name],INSERTED.[rows_read],INSERTED.[applied],INSERTED.[unchanged],INSERTED.[rejected],INSERTED.[imported_at] VALUES (N'printer',N'r.csv',2,1,0,1,'2026-03-02 10:00:00.000 +00:00');

COMMIT TRANSACTION;

SELECT [messages], [message_cost] AS [messageCost], [delivery_cost] AS [deliveryCost], [currency], [status] FROM [routing_extractions] AS [RoutingExtraction] WHERE [RoutingExtraction].[status] != N'preparing' AND [RoutingExtraction].[delivery_id] = 3;
