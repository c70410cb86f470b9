SELECT [id], [text_hash] AS [textHash], [text], [first_text] AS [firstText], [failure_type] AS [failureType], [failure_reason] AS [failureReason], [rule], [status], [occurrences], [created_at] AS [createdAt], [updated_at] AS [updatedAt] FROM [bounce_texts] AS [BounceText] WHERE ([BounceText].[occurrences] < 10 OR [BounceText].[id] < 99) AND [BounceText].[status] = N'to_qualify' AND [BounceText].[occurrences] <= 10 ORDER BY [BounceText].[occurrences] DESC, [BounceText].[id] DESC OFFSET 0 ROWS FETCH NEXT 51 ROWS ONLY;

SELECT [id], [received_at] AS [receivedAt], [mail_from] AS [mailFrom], [rcpt_to] AS [rcptTo], [subject], [message_id] AS [messageId], [kind], [status], [reason], [size], [created_at] AS [createdAt] FROM [inbound_messages] AS [InboundMessage] WHERE ([InboundMessage].[received_at] < N'2026-03-02 12:00:00.000 +00:00' OR [InboundMessage].[id] < 42) AND [InboundMessage].[status] = N'unmatched' AND [InboundMessage].[received_at] <= N'2026-03-02 12:00:00.000 +00:00' ORDER BY [receivedAt] DESC, [InboundMessage].[id] DESC OFFSET 0 ROWS FETCH NEXT 51 ROWS ONLY;

SELECT [id], [workflow_id] AS [workflowId], [trigger], [slot], [status], [started_at] AS [startedAt], [ended_at] AS [endedAt], [duration_ms] AS [durationMs], [counts], [error], [owner], [version] FROM [workflow_runs] AS [WorkflowRun] WHERE ([WorkflowRun].[started_at] < N'2026-03-02 12:00:00.000 +00:00' OR [WorkflowRun].[id] < 17) AND [WorkflowRun].[workflow_id] = 3 AND [WorkflowRun].[started_at] <= N'2026-03-02 12:00:00.000 +00:00' ORDER BY [startedAt] DESC, [WorkflowRun].[id] DESC OFFSET 0 ROWS FETCH NEXT 51 ROWS ONLY;

SELECT [id], [workflow_id] AS [workflowId], [trigger], [slot], [status], [started_at] AS [startedAt], [ended_at] AS [endedAt], [duration_ms] AS [durationMs], [counts], [error], [owner], [version] FROM [workflow_runs] AS [WorkflowRun] WHERE [WorkflowRun].[status] = N'failed' ORDER BY [startedAt] DESC, [WorkflowRun].[id] DESC OFFSET 0 ROWS FETCH NEXT 10 ROWS ONLY;

SELECT [id], [name] FROM [workflows] AS [Workflow] WHERE [Workflow].[id] IN (NULL);

BEGIN TRANSACTION;

UPDATE [bounce_texts] SET [status]=@0,[failure_type]=@1,[failure_reason]=@2,[updated_at]=@3 WHERE [id] = @4
-- bind: {"0":"keep","1":"hard","2":"user_unknown","3":"2026-03-02 12:00:00.000 +00:00","4":5}

COMMIT TRANSACTION;
