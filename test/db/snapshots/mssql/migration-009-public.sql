IF OBJECT_ID('[event_types]', 'U') IS NULL CREATE TABLE [event_types] ([id] INTEGER NOT NULL IDENTITY(1,1) , [name] NVARCHAR(64) NOT NULL, [label] NVARCHAR(255) NOT NULL, [template_id] INTEGER NULL, [version] INTEGER NOT NULL DEFAULT 0, [published_at] DATETIMEOFFSET NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]), FOREIGN KEY ([template_id]) REFERENCES [deliveries] ([id]) ON DELETE SET NULL);

CREATE UNIQUE INDEX [event_types_name] ON [event_types] ([name])

IF OBJECT_ID('[event_deliveries]', 'U') IS NULL CREATE TABLE [event_deliveries] ([id] INTEGER NOT NULL IDENTITY(1,1) , [event_type_id] INTEGER NOT NULL, [version] INTEGER NOT NULL DEFAULT 0, [period] NVARCHAR(7) NOT NULL, [delivery_id] INTEGER NOT NULL, [created_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]), FOREIGN KEY ([event_type_id]) REFERENCES [event_types] ([id]) ON DELETE CASCADE);

CREATE INDEX [event_deliveries_event_type_id_version_period] ON [event_deliveries] ([event_type_id], [version], [period])

CREATE INDEX [event_deliveries_delivery_id] ON [event_deliveries] ([delivery_id])

IF OBJECT_ID('[events]', 'U') IS NULL CREATE TABLE [events] ([id] BIGINT NOT NULL IDENTITY(1,1) , [type] NVARCHAR(64) NOT NULL, [email] NVARCHAR(320) NOT NULL, [ctx] NVARCHAR(MAX) NULL, [status] NVARCHAR(16) NOT NULL, [event_type_id] INTEGER NULL, [delivery_id] INTEGER NULL, [broad_log_id] BIGINT NULL, [origin] NVARCHAR(16) NOT NULL, [api_key_id] INTEGER NULL, [idempotency_scope] NVARCHAR(150) NULL, [request_hash] NVARCHAR(64) NULL, [created_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [events_idempotency_scope] ON [events] ([idempotency_scope]) WHERE [idempotency_scope] IS NOT NULL

CREATE INDEX [events_broad_log_id] ON [events] ([broad_log_id])

CREATE INDEX [events_email] ON [events] ([email])

CREATE INDEX [events_created_at] ON [events] ([created_at])

IF OBJECT_ID('[signups]', 'U') IS NULL CREATE TABLE [signups] ([id] INTEGER NOT NULL IDENTITY(1,1) , [email] NVARCHAR(320) NOT NULL, [first_name] NVARCHAR(255) NULL, [last_name] NVARCHAR(255) NULL, [service_ids] NVARCHAR(MAX) NOT NULL, [event_id] BIGINT NULL, [created_at] DATETIMEOFFSET NOT NULL, [expires_at] DATETIMEOFFSET NOT NULL, [confirmed_at] DATETIMEOFFSET NULL, PRIMARY KEY ([id]));

CREATE INDEX [signups_email_created_at] ON [signups] ([email], [created_at])

CREATE INDEX [signups_expires_at] ON [signups] ([expires_at])

IF OBJECT_ID('[rate_limits]', 'U') IS NULL CREATE TABLE [rate_limits] ([key] NVARCHAR(200) NOT NULL , [window_start] DATETIMEOFFSET NOT NULL, [hits] INTEGER NOT NULL DEFAULT 0, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([key]));

CREATE INDEX [rate_limits_updated_at] ON [rate_limits] ([updated_at])

IF OBJECT_ID('[webhook_cursors]', 'U') IS NULL CREATE TABLE [webhook_cursors] ([source] NVARCHAR(32) NOT NULL , [position] NVARCHAR(100) NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([source]));

IF OBJECT_ID('[webhook_deliveries]', 'U') IS NULL CREATE TABLE [webhook_deliveries] ([id] BIGINT NOT NULL IDENTITY(1,1) , [endpoint] NVARCHAR(100) NOT NULL, [event_type] NVARCHAR(32) NOT NULL, [event_key] NVARCHAR(100) NOT NULL, [payload] NVARCHAR(MAX) NOT NULL, [status] NVARCHAR(16) NOT NULL, [attempts] INTEGER NOT NULL DEFAULT 0, [next_attempt_at] DATETIMEOFFSET NULL, [last_status] INTEGER NULL, [last_error] NVARCHAR(255) NULL, [sent_at] DATETIMEOFFSET NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [webhook_deliveries_endpoint_event_key] ON [webhook_deliveries] ([endpoint], [event_key])

CREATE INDEX [webhook_deliveries_status_next_attempt_at] ON [webhook_deliveries] ([status], [next_attempt_at])

CREATE INDEX [webhook_deliveries_created_at] ON [webhook_deliveries] ([created_at])
