ALTER TABLE [signups] ADD [language] NVARCHAR(8) NULL;
