SELECT [id], [web_validity_end] AS [webValidityEnd] FROM [deliveries] AS [Delivery] WHERE [Delivery].[id] = 7;

SELECT [id] FROM [deliveries] AS [Delivery] WHERE ([Delivery].[web_validity_end] IS NULL OR [Delivery].[web_validity_end] > N'2026-03-02 12:00:00.000 +00:00') AND [Delivery].[state] != N'deleted' AND [Delivery].[is_template] = 0 AND [Delivery].[tracking_enabled] = 1 AND [Delivery].[analysed_at] IS NOT NULL ORDER BY [Delivery].[id] ASC;
