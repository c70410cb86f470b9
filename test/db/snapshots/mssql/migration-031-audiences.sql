IF OBJECT_ID('[segments]', 'U') IS NULL CREATE TABLE [segments] ([id] INTEGER NOT NULL IDENTITY(1,1) , [name] NVARCHAR(100) NOT NULL, [label] NVARCHAR(200) NOT NULL, [description] NVARCHAR(MAX) NULL, [condition] NVARCHAR(MAX) NOT NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [segments_name] ON [segments] ([name])

IF OBJECT_ID('[custom_fields]', 'U') IS NULL CREATE TABLE [custom_fields] ([name] NVARCHAR(64) NOT NULL , [created_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([name]));

IF OBJECT_ID('[bulk_actions]', 'U') IS NULL CREATE TABLE [bulk_actions] ([id] INTEGER NOT NULL IDENTITY(1,1) , [operator_id] INTEGER NULL, [action] NVARCHAR(24) NOT NULL, [condition] NVARCHAR(MAX) NOT NULL, [segment_id] INTEGER NULL, [list_id] INTEGER NULL, [service_id] INTEGER NULL, [status] NVARCHAR(16) NOT NULL, [total] INTEGER NOT NULL DEFAULT 0, [done] INTEGER NOT NULL DEFAULT 0, [affected] INTEGER NOT NULL DEFAULT 0, [last_id] INTEGER NOT NULL DEFAULT 0, [error] NVARCHAR(500) NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, [finished_at] DATETIMEOFFSET NULL, PRIMARY KEY ([id]));

CREATE INDEX [bulk_actions_status] ON [bulk_actions] ([status])

ALTER TABLE [import_jobs] ADD [list_id] INTEGER NULL;

ALTER TABLE [import_jobs] ADD [service_id] INTEGER NULL;

SELECT [id], [fields] FROM [recipients] WHERE [recipients].[id] > 0 AND [recipients].[fields] IS NOT NULL ORDER BY [id] ASC OFFSET 0 ROWS FETCH NEXT 2000 ROWS ONLY;
