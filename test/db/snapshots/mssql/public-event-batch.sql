BEGIN TRANSACTION;

SELECT [id], [type], [email], [ctx], [status], [event_type_id] AS [eventTypeId], [delivery_id] AS [deliveryId], [broad_log_id] AS [broadLogId], [origin], [api_key_id] AS [apiKeyId], [idempotency_scope] AS [idempotencyScope], [request_hash] AS [requestHash], [created_at] AS [createdAt] FROM [events] AS [TransactionalEvent] WHERE [TransactionalEvent].[idempotency_scope] IN (N'3:k1', N'3:k2');

INSERT INTO [events] ([type],[email],[ctx],[status],[event_type_id],[delivery_id],[broad_log_id],[origin],[api_key_id],[idempotency_scope],[request_hash],[created_at]) OUTPUT INSERTED.[id],INSERTED.[type],INSERTED.[email],INSERTED.[ctx],INSERTED.[status],INSERTED.[event_type_id],INSERTED.[delivery_id],INSERTED.[broad_log_id],INSERTED.[origin],INSERTED.[api_key_id],INSERTED.[idempotency_scope],INSERTED.[request_hash],INSERTED.[created_at] VALUES (N'order',N'a1@example.com',N'{"n":1}',N'not_covered',NULL,NULL,NULL,N'api',3,N'3:k1',N'h','2026-03-04 05:06:07.000 +00:00'),(N'order',N'a2@example.com',N'{"n":2}',N'not_covered',NULL,NULL,NULL,N'api',3,N'3:k2',N'h','2026-03-04 05:06:07.000 +00:00');

COMMIT TRANSACTION;
