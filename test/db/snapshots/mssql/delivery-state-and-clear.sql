BEGIN TRANSACTION;

UPDATE [deliveries] SET [state]=@0,[started_at]=@1,[updated_at]=@2 WHERE [id] = @3 AND [state] = @4
-- bind: {"0":"start_pending","1":"2026-03-01 10:00:00.000 +00:00","2":"2026-03-01 10:00:00.000 +00:00","3":9,"4":"ready"}

COMMIT TRANSACTION;

BEGIN TRANSACTION;

DELETE TOP(4000) FROM [broad_logs] WHERE [delivery_id] = 9; SELECT @@ROWCOUNT AS AFFECTEDROWS;

COMMIT TRANSACTION;

BEGIN TRANSACTION;

DELETE TOP(4000) FROM [exclusion_logs] WHERE [delivery_id] = 9; SELECT @@ROWCOUNT AS AFFECTEDROWS;

COMMIT TRANSACTION;
