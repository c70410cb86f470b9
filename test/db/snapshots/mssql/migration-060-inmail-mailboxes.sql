IF OBJECT_ID('[inmail_mailboxes]', 'U') IS NULL CREATE TABLE [inmail_mailboxes] ([name] NVARCHAR(64) NOT NULL , [protocol] NVARCHAR(8) NOT NULL, [messages] INTEGER NOT NULL DEFAULT 0, [unrecognised] INTEGER NOT NULL DEFAULT 0, [last_poll_at] DATETIMEOFFSET NULL, [last_error] NVARCHAR(500) NULL, [last_error_at] DATETIMEOFFSET NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([name]));

IF OBJECT_ID('[inmail_mailbox_messages]', 'U') IS NULL CREATE TABLE [inmail_mailbox_messages] ([id] BIGINT NOT NULL IDENTITY(1,1) , [mailbox] NVARCHAR(64) NOT NULL, [message_key] NVARCHAR(255) NOT NULL, [outcome] NVARCHAR(16) NOT NULL, [spool_id] NVARCHAR(64) NOT NULL, [processed_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [inmail_mailbox_messages_key] ON [inmail_mailbox_messages] ([mailbox], [message_key])
