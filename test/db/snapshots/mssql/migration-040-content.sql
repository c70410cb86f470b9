ALTER TABLE [deliveries] ADD [content_format] NVARCHAR(8) NOT NULL DEFAULT N'html';

ALTER TABLE [deliveries] ADD [compiled_html] NVARCHAR(MAX) NULL;

ALTER TABLE [deliveries] ADD [compiled_text] NVARCHAR(MAX) NULL;

IF OBJECT_ID('[content_blocks]', 'U') IS NULL CREATE TABLE [content_blocks] ([id] INTEGER NOT NULL IDENTITY(1,1) , [name] NVARCHAR(64) NOT NULL, [label] NVARCHAR(255) NOT NULL, [format] NVARCHAR(8) NOT NULL DEFAULT N'html', [source] NVARCHAR(MAX) NOT NULL, [updated_by] INTEGER NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [content_blocks_name] ON [content_blocks] ([name])

IF OBJECT_ID('[content_templates]', 'U') IS NULL CREATE TABLE [content_templates] ([id] INTEGER NOT NULL IDENTITY(1,1) , [name] NVARCHAR(64) NOT NULL, [label] NVARCHAR(255) NOT NULL, [description] NVARCHAR(500) NULL, [format] NVARCHAR(8) NOT NULL DEFAULT N'html', [subject] NVARCHAR(998) NULL, [source] NVARCHAR(MAX) NOT NULL, [text] NVARCHAR(MAX) NULL, [created_by] INTEGER NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [content_templates_name] ON [content_templates] ([name])

IF OBJECT_ID('[landing_pages]', 'U') IS NULL CREATE TABLE [landing_pages] ([id] INTEGER NOT NULL IDENTITY(1,1) , [slug] NVARCHAR(64) NOT NULL, [title] NVARCHAR(255) NOT NULL, [format] NVARCHAR(8) NOT NULL DEFAULT N'html', [source] NVARCHAR(MAX) NOT NULL, [compiled_html] NVARCHAR(MAX) NULL, [published_at] DATETIMEOFFSET NULL, [visits] INTEGER NOT NULL DEFAULT 0, [conversions] INTEGER NOT NULL DEFAULT 0, [created_by] INTEGER NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [landing_pages_slug] ON [landing_pages] ([slug])
