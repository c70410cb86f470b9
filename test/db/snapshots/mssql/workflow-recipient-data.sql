SELECT [id], [email], [fields] FROM [recipients] AS [Recipient] WHERE [Recipient].[id] IN (1, 2, 3);

BEGIN TRANSACTION;

SELECT [id], [email], [fields] FROM [recipients] AS [Recipient] WHERE [Recipient].[id] IN (1, 2);

COMMIT TRANSACTION;

SELECT [id], [email] FROM [recipients] AS [Recipient] WHERE [Recipient].[email] IN (N'a@x.org', N'o''brien@x.org') AND [Recipient].[erased_at] IS NULL;
