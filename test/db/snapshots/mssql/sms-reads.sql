SELECT [message_id] AS [messageId], [broad_log_id] AS [broadLogId] FROM [sms_submits] AS [SmsSubmit] WHERE [SmsSubmit].[connector] = N'op' AND [SmsSubmit].[message_id] IN (N'1a', N'1b');

BEGIN TRANSACTION;

INSERT INTO [sms_inbound] ([connector],[source],[destination],[text],[keyword],[action],[recipients],[received_at]) OUTPUT INSERTED.[id],INSERTED.[connector],INSERTED.[source],INSERTED.[destination],INSERTED.[text],INSERTED.[keyword],INSERTED.[action],INSERTED.[recipients],INSERTED.[received_at],INSERTED.[reviewed_at] VALUES (N'op',N'+33612345678',N'36111',N'STOP',N'STOP',N'unsubscribed',1,'2026-03-02 10:00:00.000 +00:00');

UPDATE [recipients] SET [denylisted_sms]=@0,[updated_at]=@1 WHERE [mobile] = @2 AND [denylisted_sms] = @3
-- bind: {"0":true,"1":"2026-03-02 10:00:00.000 +00:00","2":"+33612345678","3":false}

SELECT [id], [address], [domain], [channel], [status], [failure_type] AS [failureType], [failure_reason] AS [failureReason], [error_count] AS [errorCount], [last_error_at] AS [lastErrorAt], [text], [delivery_id] AS [deliveryId], [created_at] AS [createdAt], [updated_at] AS [updatedAt] FROM [quarantines] AS [Quarantine] WHERE [Quarantine].[channel] = N'sms' AND [Quarantine].[address] IN (N'+33612345678');

INSERT INTO [quarantines] ([address],[domain],[channel],[status],[failure_type],[failure_reason],[error_count],[last_error_at],[text],[delivery_id],[created_at],[updated_at]) OUTPUT INSERTED.[id],INSERTED.[address],INSERTED.[domain],INSERTED.[channel],INSERTED.[status],INSERTED.[failure_type],INSERTED.[failure_reason],INSERTED.[error_count],INSERTED.[last_error_at],INSERTED.[text],INSERTED.[delivery_id],INSERTED.[created_at],INSERTED.[updated_at] VALUES (N'+33612345678',N'sms',N'sms',N'denylisted',NULL,NULL,0,NULL,N'STOP received from the number',NULL,'2026-03-02 10:00:00.000 +00:00','2026-03-02 10:00:00.000 +00:00');

COMMIT TRANSACTION;

SELECT [receipt_status] AS [receiptStatus], COUNT([id]) AS [n], SUM([segments]) AS [segments] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[status] IN (N'sent', N'failed') AND [BroadLog].[delivery_id] = 3 GROUP BY [receipt_status];
