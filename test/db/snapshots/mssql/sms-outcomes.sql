BEGIN TRANSACTION;

INSERT INTO [sms_submits] ([connector],[message_id],[broad_log_id],[delivery_id],[part],[created_at]) OUTPUT INSERTED.[id],INSERTED.[connector],INSERTED.[message_id],INSERTED.[broad_log_id],INSERTED.[delivery_id],INSERTED.[part],INSERTED.[created_at] VALUES (N'op',N'a''1',7,3,1,'2026-03-02 10:00:00.000 +00:00');

UPDATE [broad_logs] SET [segments]=@0 WHERE [id] IN (7, 9)
-- bind: {"0":1}

UPDATE [broad_logs] SET [segments]=@0 WHERE [id] IN (8)
-- bind: {"0":2}

UPDATE [broad_logs] SET [receipt_status]=@0,[receipt_at]=@1 WHERE [id] IN (7)
-- bind: {"0":"delivered","1":"2026-03-02 10:00:00.000 +00:00"}

UPDATE [broad_logs] SET [receipt_status]=@0,[receipt_at]=@1 WHERE [id] IN (8)
-- bind: {"0":"undeliverable","1":"2026-03-02 10:00:00.000 +00:00"}

COMMIT TRANSACTION;
