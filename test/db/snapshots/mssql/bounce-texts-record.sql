BEGIN TRANSACTION;

SELECT [id], [text_hash] AS [textHash] FROM [bounce_texts] AS [BounceText] WHERE [BounceText].[text_hash] IN (N'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');

INSERT INTO [bounce_texts] ([text_hash],[text],[first_text],[failure_type],[failure_reason],[rule],[status],[occurrences],[created_at],[updated_at]) OUTPUT INSERTED.[id],INSERTED.[text_hash],INSERTED.[text],INSERTED.[first_text],INSERTED.[failure_type],INSERTED.[failure_reason],INSERTED.[rule],INSERTED.[status],INSERTED.[occurrences],INSERTED.[created_at],INSERTED.[updated_at] VALUES (N'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',N'550 5.1.1 *... User ''unknown''',N'550 5.1.1 <ann@example.com>... User unknown',N'hard',N'user_unknown',N'user_unknown',N'keep',2,'2026-03-02 10:00:00.000 +00:00','2026-03-02 10:00:00.000 +00:00');

SELECT [id], [text_hash] AS [textHash] FROM [bounce_texts] AS [BounceText] WHERE [BounceText].[text_hash] IN (N'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');

COMMIT TRANSACTION;
