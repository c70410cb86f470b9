SELECT count(*) AS [count] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[status] = N'sent' AND [BroadLog].[delivery_id] = 42;

SELECT count(DISTINCT([broad_log_id])) AS [count] FROM [tracking_logs] AS [TrackingLog] WHERE [TrackingLog].[bot] IS NULL AND [TrackingLog].[delivery_id] = 42 AND [TrackingLog].[broad_log_id] IS NOT NULL;

SELECT count(DISTINCT([broad_log_id])) AS [count] FROM [tracking_logs] AS [TrackingLog] WHERE [TrackingLog].[bot] IS NULL AND [TrackingLog].[delivery_id] = 42 AND [TrackingLog].[url_type] = N'click' AND [TrackingLog].[broad_log_id] IS NOT NULL;

SELECT [id], [workflow_id] AS [workflowId], [activity], [wave_key] AS [waveKey], [criterion], [delivery_a_id] AS [deliveryAId], [delivery_b_id] AS [deliveryBId], [counts], [winner], [decided_by] AS [decidedBy], [status], [task_id] AS [taskId], [rest_size] AS [restSize], [winner_delivery_id] AS [winnerDeliveryId], [decided_at] AS [decidedAt], [confirmed_by] AS [confirmedBy], [confirmed_at] AS [confirmedAt], [created_at] AS [createdAt], [updated_at] AS [updatedAt] FROM [ab_tests] AS [AbTest] WHERE [AbTest].[activity] = N'pick' AND [AbTest].[workflow_id] = 7 AND [AbTest].[wave_key] = N't12' ORDER BY [AbTest].[id] OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY;

BEGIN TRANSACTION;

UPDATE [ab_tests] SET [status]=@0,[updated_at]=@1 WHERE [status] IN (N'awaiting_confirmation', N'confirmed') AND [workflow_id] = @2
-- bind: {"0":"cancelled","1":"2026-06-01 04:00:00.000 +00:00","2":7}

COMMIT TRANSACTION;
