SELECT [id], [internal_name] AS [internalName], [label], [kind], [state], [is_template] AS [isTemplate], [to_deliver] AS [toDeliver], [processed], [sent], [failed], [created_at] AS [createdAt], [started_at] AS [startedAt], [finished_at] AS [finishedAt] FROM [deliveries] AS [Delivery] WHERE [Delivery].[kind] != N'proof' AND [Delivery].[state] IN (N'finished') AND [Delivery].[id] < 500 AND [Delivery].[is_template] = 0 ORDER BY [Delivery].[id] DESC OFFSET 0 ROWS FETCH NEXT 51 ROWS ONLY;

SELECT [id], [internal_name] AS [internalName], [state], [to_deliver] AS [toDeliver], [sent], [failed], [created_at] AS [createdAt] FROM [deliveries] AS [Delivery] WHERE [Delivery].[kind] = N'proof' AND [Delivery].[internal_name] LIKE N'o''brien-proof-%' ORDER BY [Delivery].[id] DESC OFFSET 0 ROWS FETCH NEXT 10 ROWS ONLY;

SELECT [failure_reason] AS [failureReason], COUNT(*) AS [n] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[status] = N'failed' AND [BroadLog].[delivery_id] = 7 GROUP BY [failure_reason];

SELECT [delivery_id] AS [deliveryId], COUNT(*) AS [n] FROM [broad_logs] AS [BroadLog] WHERE ([BroadLog].[next_attempt_at] IS NULL OR [BroadLog].[next_attempt_at] <= N'2026-03-02 12:00:00.000 +00:00') AND [BroadLog].[status] = N'pending' AND [BroadLog].[delivery_id] IN (7) GROUP BY [delivery_id];

SELECT [delivery_id] AS [deliveryId], COUNT(*) AS [n] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[status] = N'pending' AND [BroadLog].[delivery_id] IN (7) AND [BroadLog].[next_attempt_at] > N'2026-03-02 12:00:00.000 +00:00' GROUP BY [delivery_id];

SELECT [id], [internal_name] AS [internalName], [label], [kind], [state], [to_deliver] AS [toDeliver], [processed], [sent], [failed], [last_error] AS [lastError], [started_at] AS [startedAt], [updated_at] AS [updatedAt] FROM [deliveries] AS [Delivery] WHERE [Delivery].[state] IN (N'in_progress', N'paused') AND [Delivery].[is_template] = 0 ORDER BY [updatedAt] DESC OFFSET 0 ROWS FETCH NEXT 50 ROWS ONLY;
