IF OBJECT_ID('[workflow_versions]', 'U') IS NULL CREATE TABLE [workflow_versions] ([id] INTEGER NOT NULL IDENTITY(1,1) , [workflow_id] INTEGER NOT NULL, [version] INTEGER NOT NULL, [definition] NVARCHAR(MAX) NOT NULL, [created_by] NVARCHAR(100) NULL, [created_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [workflow_versions_number] ON [workflow_versions] ([workflow_id], [version])

ALTER TABLE [workflows] ADD [draft] NVARCHAR(MAX) NULL;

ALTER TABLE [workflows] ADD [version] INTEGER NULL;

ALTER TABLE [workflow_runs] ADD [version] INTEGER NULL;
