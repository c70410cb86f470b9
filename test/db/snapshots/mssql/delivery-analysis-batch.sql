BEGIN TRANSACTION;

INSERT INTO [broad_logs] ([delivery_id],[recipient_id],[address],[email_format],[status],[attempts],[next_attempt_at],[created_at],[updated_at]) VALUES (9,1,N'r0@example.com',N'html',N'pending',0,NULL,'2026-03-01 10:00:00.000 +00:00','2026-03-01 10:00:00.000 +00:00'),(9,2,N'r1@example.com',N'html',N'pending',0,NULL,'2026-03-01 10:00:00.000 +00:00','2026-03-01 10:00:00.000 +00:00');

INSERT INTO [exclusion_logs] ([delivery_id],[recipient_id],[address],[reason],[detail],[created_at]) VALUES (9,3,N'x@',N'invalid_address',N'email domain is not a valid host name','2026-03-01 10:00:00.000 +00:00');

COMMIT TRANSACTION;
