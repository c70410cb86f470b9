BEGIN TRANSACTION;

UPDATE [smtp_stats] SET [connections]=connections + 0,[messages]=messages + 3,[sent]=sent + 2,[soft_errors]=soft_errors + 1,[hard_errors]=hard_errors + 0,[timeouts]=timeouts + 0,[refused_connections]=refused_connections + 0,[first_attempts]=first_attempts + 3,[first_attempt_errors]=first_attempt_errors + 1,[recovered]=recovered + 0,[updated_at]=@0,[last_response]=@1 WHERE [domain] = @2 AND [slot_start] = @3
-- bind: {"0":"2026-03-02 10:00:00.000 +00:00","1":"451 4.7.1 later","2":"example.com","3":"2026-03-02 10:00:00.000 +00:00"}

INSERT INTO [smtp_stats] ([domain],[slot_start],[connections],[messages],[sent],[soft_errors],[hard_errors],[timeouts],[refused_connections],[first_attempts],[first_attempt_errors],[recovered],[last_response],[updated_at]) OUTPUT INSERTED.[id],INSERTED.[domain],INSERTED.[slot_start],INSERTED.[connections],INSERTED.[messages],INSERTED.[sent],INSERTED.[soft_errors],INSERTED.[hard_errors],INSERTED.[timeouts],INSERTED.[refused_connections],INSERTED.[first_attempts],INSERTED.[first_attempt_errors],INSERTED.[recovered],INSERTED.[last_response],INSERTED.[updated_at] VALUES (N'example.com','2026-03-02 10:00:00.000 +00:00',0,3,2,1,0,0,0,3,1,0,N'451 4.7.1 later','2026-03-02 10:00:00.000 +00:00');

COMMIT TRANSACTION;

SELECT [domain], SUM([first_attempts]) AS [messages], SUM([first_attempt_errors]) AS [errors], SUM([recovered]) AS [recovered] FROM [smtp_stats] AS [SmtpStat] WHERE [SmtpStat].[slot_start] >= N<clock> GROUP BY [domain];
