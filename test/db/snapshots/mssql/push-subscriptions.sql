BEGIN TRANSACTION;

SELECT [id] FROM [recipients] AS [Recipient] WHERE ([Recipient].[id] = 7 AND [Recipient].[erased_at] IS NULL) ORDER BY [Recipient].[id] OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY;

COMMIT TRANSACTION;

SELECT [id], [recipient_id] AS [recipientId] FROM [push_subscriptions] AS [PushSubscription] WHERE [PushSubscription].[status] = N'active' AND [PushSubscription].[recipient_id] IN (7, 8) ORDER BY [PushSubscription].[id] ASC;

SELECT [id], [recipient_id] AS [recipientId], [endpoint], [endpoint_hash] AS [endpointHash], [p256dh], [auth], [status], [failure_text] AS [failureText], [created_at] AS [createdAt], [updated_at] AS [updatedAt] FROM [push_subscriptions] AS [PushSubscription] WHERE [PushSubscription].[id] IN (3, 4);

BEGIN TRANSACTION;

UPDATE [push_subscriptions] SET [status]=@0,[failure_text]=@1,[updated_at]=@2 WHERE [id] = @3
-- bind: {"0":"expired","1":"410 Gone","2":"2026-03-02 10:00:00.000 +00:00","3":3}

COMMIT TRANSACTION;
