IF OBJECT_ID('[mta_throttle]', 'U') IS NULL CREATE TABLE [mta_throttle] ([key] NVARCHAR(255) NOT NULL , [tat_ms] BIGINT NOT NULL DEFAULT 0, [blocked_until_ms] BIGINT NOT NULL DEFAULT 0, [block_reason] NVARCHAR(255) NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([key]));

IF OBJECT_ID('[mta_instances]', 'U') IS NULL CREATE TABLE [mta_instances] ([id] NVARCHAR(64) NOT NULL , [host] NVARCHAR(255) NOT NULL, [pid] INTEGER NOT NULL, [started_at] DATETIMEOFFSET NOT NULL, [last_seen_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE INDEX [broad_logs_claim] ON [broad_logs] ([delivery_id], [status], [next_attempt_at])
