BEGIN TRANSACTION;

SELECT max([version]) AS [max] FROM [workflow_versions] AS [WorkflowVersion] WHERE [WorkflowVersion].[workflow_id] = 7;

UPDATE [workflows] SET [definition]=@0,[schedule]=@1,[version]=@2,[draft]=@3,[updated_at]=@4 WHERE [id] = @5 AND [state] IN (N'editing', N'paused')
-- bind: {"0":"{\"activities\":[{\"id\":\"go\",\"type\":\"start\",\"next\":\"done\"},{\"id\":\"done\",\"type\":\"end\"}]}","1":"CRON_TZ=Europe/Paris 0 9 * * 1","2":1,"3":null,"4":"2026-06-01 04:00:00.000 +00:00","5":7}

COMMIT TRANSACTION;

BEGIN TRANSACTION;

UPDATE [workflows] SET [draft]=@0,[updated_at]=@1 WHERE [id] = @2 AND [kind] = @3
-- bind: {"0":"{\"activities\":[]}","1":"2026-06-01 04:00:00.000 +00:00","2":7,"3":"marketing"}

COMMIT TRANSACTION;

SELECT [id], [workflow_id] AS [workflowId], [version], [definition], [created_by] AS [createdBy], [created_at] AS [createdAt] FROM [workflow_versions] AS [WorkflowVersion] WHERE [WorkflowVersion].[workflow_id] = 7 ORDER BY [WorkflowVersion].[version] DESC OFFSET 0 ROWS FETCH NEXT 20 ROWS ONLY;
