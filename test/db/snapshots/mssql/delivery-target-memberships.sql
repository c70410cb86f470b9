SELECT [recipient_id] AS [recipientId] FROM [subscriptions] AS [Subscription] WHERE ([Subscription].[expires_at] IS NULL OR [Subscription].[expires_at] > N'2026-03-01 10:00:00.000 +00:00') AND [Subscription].[status] = N'active' AND [Subscription].[service_id] = 3 AND [Subscription].[recipient_id] > 0 ORDER BY [recipientId] ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;

SELECT [recipient_id] AS [recipientId] FROM [list_members] AS [ListMember] WHERE [ListMember].[list_id] = 4 AND [ListMember].[recipient_id] > 0 ORDER BY [recipientId] ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;
