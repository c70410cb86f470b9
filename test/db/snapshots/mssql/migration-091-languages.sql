ALTER TABLE [operators] ADD [language] NVARCHAR(8) NULL;

ALTER TABLE [recipients] ADD [language] NVARCHAR(8) NULL;
