SELECT [id], [address], [domain], [channel], [status], [failure_type] AS [failureType], [failure_reason] AS [failureReason], [error_count] AS [errorCount], [last_error_at] AS [lastErrorAt], [text], [delivery_id] AS [deliveryId], [created_at] AS [createdAt], [updated_at] AS [updatedAt] FROM [quarantines] AS [Quarantine] WHERE [Quarantine].[channel] = N'email' AND [Quarantine].[address] IN (N'ann@example.com');

BEGIN TRANSACTION;

UPDATE [quarantines] SET [status]=@0,[error_count]=@1,[last_error_at]=@2,[failure_type]=@3,[failure_reason]=@4,[text]=@5,[delivery_id]=@6,[updated_at]=@7 WHERE [address] = @8 AND [channel] = @9
-- bind: {"0":"quarantine","1":1,"2":"2026-03-02 10:00:00.000 +00:00","3":"hard","4":"user_unknown","5":"550 5.1.1","6":5,"7":"2026-03-02 10:00:00.000 +00:00","8":"ann@example.com","9":"email"}

INSERT INTO [quarantines] ([address],[domain],[channel],[status],[failure_type],[failure_reason],[error_count],[last_error_at],[text],[delivery_id],[created_at],[updated_at]) OUTPUT INSERTED.[id],INSERTED.[address],INSERTED.[domain],INSERTED.[channel],INSERTED.[status],INSERTED.[failure_type],INSERTED.[failure_reason],INSERTED.[error_count],INSERTED.[last_error_at],INSERTED.[text],INSERTED.[delivery_id],INSERTED.[created_at],INSERTED.[updated_at] VALUES (N'bob@example.org',N'example.org',N'email',N'quarantine',N'hard',N'user_unknown',1,'2026-03-02 10:00:00.000 +00:00',N'550 5.1.1',5,'2026-03-02 10:00:00.000 +00:00','2026-03-02 10:00:00.000 +00:00');

COMMIT TRANSACTION;
