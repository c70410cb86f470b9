BEGIN TRANSACTION;

UPDATE [subscriptions] SET [status]=@0,[updated_at]=@1 WHERE [status] != N'unsubscribed' AND [service_id] = @2 AND [recipient_id] = @3
-- bind: {"0":"unsubscribed","1":"2026-03-02 10:00:00.000 +00:00","2":2,"3":9}

COMMIT TRANSACTION;

BEGIN TRANSACTION;

UPDATE [recipients] SET [denylisted_email]=@0,[updated_at]=@1 WHERE [id] = @2 AND [denylisted_email] = @3
-- bind: {"0":true,"1":"2026-03-02 10:00:00.000 +00:00","2":9,"3":false}

COMMIT TRANSACTION;

BEGIN TRANSACTION;

INSERT INTO [inbound_messages] ([received_at],[mail_from],[rcpt_to],[subject],[message_id],[kind],[status],[reason],[spool_file],[size],[created_at]) OUTPUT INSERTED.[id],INSERTED.[received_at],INSERTED.[mail_from],INSERTED.[rcpt_to],INSERTED.[subject],INSERTED.[message_id],INSERTED.[kind],INSERTED.[status],INSERTED.[reason],INSERTED.[spool_file],INSERTED.[size],INSERTED.[created_at] VALUES ('2026-03-02 10:00:00.000 +00:00',NULL,N'bounce@bounce.example.com',N'x y',NULL,N'dsn',N'unmatched',N'no signed VERP address',N'kept/1.eml',10,'2026-03-02 10:00:00.000 +00:00');

COMMIT TRANSACTION;
