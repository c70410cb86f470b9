BEGIN TRANSACTION;

SELECT [id], [email], [fields] FROM [recipients] AS [Recipient] WHERE [Recipient].[email] IN (N'ann@example.com', N'bob@example.com');

INSERT INTO [recipients] ([email],[first_name],[last_name],[email_format],[fields],[denylisted],[denylisted_email],[mobile],[fax],[address_line1],[address_line2],[postal_code],[city],[country],[time_zone],[denylisted_sms],[denylisted_push],[denylisted_postal],[denylisted_fax],[language],[created_at],[updated_at]) VALUES (N'ann@example.com',N'Ann',N'O''Hara',N'html',N'{"city":"Paris"}',0,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,0,0,0,0,NULL,'2026-01-02 03:04:05.000 +00:00','2026-01-02 03:04:05.000 +00:00'),(N'bob@example.com',N'Bob',NULL,N'html',NULL,0,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,0,0,0,0,NULL,'2026-01-02 03:04:05.000 +00:00','2026-01-02 03:04:05.000 +00:00');

COMMIT TRANSACTION;

SELECT [name] FROM [custom_fields] AS [CustomField] WHERE [CustomField].[name] IN (N'city');

BEGIN TRANSACTION;

INSERT INTO [custom_fields] ([name],[created_at]) OUTPUT INSERTED.[name],INSERTED.[created_at] VALUES (N'city','2026-01-02 03:04:05.000 +00:00');

COMMIT TRANSACTION;
