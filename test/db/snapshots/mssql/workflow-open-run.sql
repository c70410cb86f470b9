BEGIN TRANSACTION;

UPDATE [workflow_runs] SET [status]=@0,[ended_at]=@1,[error]=@2 WHERE [status] = @3 AND [workflow_id] = @4
-- bind: {"0":"failed","1":"2026-06-01 04:00:00.000 +00:00","2":"abandoned: its wfserver stopped before the run ended (lease expired)","3":"running","4":7}

INSERT INTO [workflow_runs] ([workflow_id],[trigger],[slot],[status],[started_at],[owner]) OUTPUT INSERTED.[id],INSERTED.[workflow_id],INSERTED.[trigger],INSERTED.[slot],INSERTED.[status],INSERTED.[started_at],INSERTED.[ended_at],INSERTED.[duration_ms],INSERTED.[counts],INSERTED.[error],INSERTED.[owner],INSERTED.[version] VALUES (@0,@1,@2,@3,@4,@5);
-- bind: {"0":7,"1":"schedule","2":"2026-06-01 04:00:00.000 +00:00","3":"running","4":"2026-06-01 04:00:00.000 +00:00","5":"host:1:abc"}

ROLLBACK TRANSACTION;
