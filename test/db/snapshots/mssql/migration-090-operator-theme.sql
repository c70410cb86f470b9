ALTER TABLE [operators] ADD [theme] NVARCHAR(8) NULL;
