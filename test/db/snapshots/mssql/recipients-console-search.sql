SELECT [id], [email], [first_name] AS [firstName], [last_name] AS [lastName], [denylisted], [created_at] AS [createdAt] FROM [recipients] AS [Recipient] WHERE [Recipient].[id] < 500 ORDER BY [Recipient].[id] DESC OFFSET 0 ROWS FETCH NEXT 51 ROWS ONLY;

SELECT [id], [email], [first_name] AS [firstName], [last_name] AS [lastName], [denylisted], [created_at] AS [createdAt] FROM [recipients] AS [Recipient] WHERE ([Recipient].[email] LIKE N'ann[_][%][[]x%' AND [Recipient].[email] > N'ann_b@example.com') ORDER BY [Recipient].[email] ASC OFFSET 0 ROWS FETCH NEXT 51 ROWS ONLY;

SELECT [id], [email], [first_name] AS [firstName], [last_name] AS [lastName], [denylisted], [created_at] AS [createdAt] FROM [recipients] AS [Recipient] WHERE ([Recipient].[last_name] LIKE N'O''Ha%' AND ([Recipient].[last_name] > N'O''Hara' OR ([Recipient].[id] > 42 AND [Recipient].[last_name] = N'O''Hara'))) ORDER BY [lastName] ASC, [Recipient].[id] ASC OFFSET 0 ROWS FETCH NEXT 51 ROWS ONLY;
