BEGIN TRANSACTION;

UPDATE [broad_logs] SET [status] = 'sent', [sent_at] = '2026-03-02 10:00:00.000 +00:00', [updated_at] = '2026-03-02 10:00:00.000 +00:00', [attempts] = [attempts] + 1, [failure_type] = NULL, [failure_reason] = NULL, [failure_text] = NULL, [bounce_text_id] = NULL, [lease_owner] = NULL, [lease_expires_at] = NULL, [next_attempt_at] = NULL, [smtp_response] = CASE [id] WHEN 1 THEN N'250 2.0.0 Ok: queued as 4Xy''Z' WHEN 2 THEN N'250 OK' ELSE [smtp_response] END WHERE [id] IN (1, 2) AND [lease_owner] = N'mta-a' AND [status] = N'pending'

UPDATE [broad_logs] SET [failure_type]=@0,[failure_reason]=@1,[failure_text]=@2,[lease_owner]=@3,[lease_expires_at]=@4,[smtp_response]=@5,[status]=@6,[next_attempt_at]=@7,[updated_at]=@8 WHERE [id] = @9 AND [status] = @10 AND [lease_owner] = @11
-- bind: {"0":"soft","1":"unreachable","2":"connect ECONNREFUSED","3":null,"4":null,"5":"connect ECONNREFUSED","6":"pending","7":"2026-03-02 10:00:00.000 +00:00","8":<clock>,"9":3,"10":"pending","11":"mta-a"}

UPDATE [deliveries] SET [processed]=[processed]+ 2,[sent]=[sent]+ 2,[failed]=[failed]+ 0,[updated_at]=<clock> OUTPUT INSERTED.* WHERE [id] = 9

UPDATE [quarantines] SET [status]=@0,[error_count]=@1,[updated_at]=@2 WHERE [channel] = @3 AND [status] IN (N'with_errors') AND [address] IN (N'ann@example.com', N'bob@example.com')
-- bind: {"0":"valid","1":0,"2":"2026-03-02 10:00:00.000 +00:00","3":"email"}

COMMIT TRANSACTION;
