BEGIN TRANSACTION;

UPDATE [recipients] SET [denylisted]=@0,[updated_at]=@1 WHERE [id] IN (3, 5, 8) AND [denylisted] = @2
-- bind: {"0":true,"1":"2026-06-01 04:00:00.000 +00:00","2":false}

COMMIT TRANSACTION;
