ALTER TABLE [deliveries] ADD [push_content] NVARCHAR(MAX) NULL;
