ALTER TABLE [broad_logs] ADD [segments] INTEGER NOT NULL DEFAULT 0;

ALTER TABLE [broad_logs] ADD [receipt_status] NVARCHAR(16) NULL;

ALTER TABLE [broad_logs] ADD [receipt_at] DATETIMEOFFSET NULL;

IF OBJECT_ID('[sms_submits]', 'U') IS NULL CREATE TABLE [sms_submits] ([id] BIGINT NOT NULL IDENTITY(1,1) , [connector] NVARCHAR(64) NOT NULL, [message_id] NVARCHAR(64) NOT NULL, [broad_log_id] BIGINT NOT NULL, [delivery_id] INTEGER NOT NULL, [part] INTEGER NOT NULL DEFAULT 1, [created_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [sms_submits_message] ON [sms_submits] ([message_id], [connector])

CREATE INDEX [sms_submits_broad_log] ON [sms_submits] ([broad_log_id])

CREATE INDEX [sms_submits_created_at] ON [sms_submits] ([created_at])

IF OBJECT_ID('[sms_inbound]', 'U') IS NULL CREATE TABLE [sms_inbound] ([id] BIGINT NOT NULL IDENTITY(1,1) , [connector] NVARCHAR(64) NOT NULL, [source] NVARCHAR(21) NOT NULL, [destination] NVARCHAR(21) NOT NULL, [text] NVARCHAR(MAX) NOT NULL, [keyword] NVARCHAR(32) NULL, [action] NVARCHAR(16) NOT NULL, [recipients] INTEGER NOT NULL DEFAULT 0, [received_at] DATETIMEOFFSET NOT NULL, [reviewed_at] DATETIMEOFFSET NULL, PRIMARY KEY ([id]));

CREATE INDEX [sms_inbound_action] ON [sms_inbound] ([action], [received_at])
