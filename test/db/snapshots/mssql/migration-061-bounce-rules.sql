IF OBJECT_ID('[bounce_rules]', 'U') IS NULL CREATE TABLE [bounce_rules] ([id] INTEGER NOT NULL IDENTITY(1,1) , [text_hash] NVARCHAR(64) NOT NULL, [normalized_text] NVARCHAR(MAX) NOT NULL, [sample] NVARCHAR(MAX) NOT NULL, [failure_type] NVARCHAR(16) NOT NULL, [failure_reason] NVARCHAR(32) NOT NULL, [bounce_text_id] INTEGER NULL, [created_by] NVARCHAR(100) NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [bounce_rules_text_hash] ON [bounce_rules] ([text_hash])
