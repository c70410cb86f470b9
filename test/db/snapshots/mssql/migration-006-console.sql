IF OBJECT_ID('[web_sessions]', 'U') IS NULL CREATE TABLE [web_sessions] ([id_hash] NVARCHAR(64) NOT NULL , [operator_id] INTEGER NOT NULL, [ip] NVARCHAR(64) NULL, [user_agent] NVARCHAR(255) NULL, [created_at] DATETIMEOFFSET NOT NULL, [last_seen_at] DATETIMEOFFSET NOT NULL, [expires_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id_hash]), FOREIGN KEY ([operator_id]) REFERENCES [operators] ([id]) ON DELETE CASCADE);

CREATE INDEX [web_sessions_operator_id] ON [web_sessions] ([operator_id])

CREATE INDEX [web_sessions_expires_at] ON [web_sessions] ([expires_at])

IF OBJECT_ID('[audit_log]', 'U') IS NULL CREATE TABLE [audit_log] ([id] BIGINT NOT NULL IDENTITY(1,1) , [at] DATETIMEOFFSET NOT NULL, [operator_id] INTEGER NULL, [operator_login] NVARCHAR(64) NULL, [action] NVARCHAR(40) NOT NULL, [target_type] NVARCHAR(32) NULL, [target_id] NVARCHAR(64) NULL, [detail] NVARCHAR(MAX) NULL, [ip] NVARCHAR(64) NULL, PRIMARY KEY ([id]));

CREATE INDEX [audit_log_operator_id] ON [audit_log] ([operator_id])

CREATE INDEX [audit_log_target_type_target_id] ON [audit_log] ([target_type], [target_id])

CREATE INDEX [audit_log_action] ON [audit_log] ([action])

IF OBJECT_ID('[login_throttles]', 'U') IS NULL CREATE TABLE [login_throttles] ([key] NVARCHAR(200) NOT NULL , [window_start] DATETIMEOFFSET NOT NULL, [failures] INTEGER NOT NULL DEFAULT 0, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([key]));

CREATE INDEX [login_throttles_updated_at] ON [login_throttles] ([updated_at])

IF OBJECT_ID('[import_jobs]', 'U') IS NULL CREATE TABLE [import_jobs] ([id] INTEGER NOT NULL IDENTITY(1,1) , [operator_id] INTEGER NULL, [file_name] NVARCHAR(255) NOT NULL, [status] NVARCHAR(16) NOT NULL, [total_bytes] BIGINT NOT NULL DEFAULT 0, [bytes] BIGINT NOT NULL DEFAULT 0, [rows] INTEGER NOT NULL DEFAULT 0, [inserted] INTEGER NOT NULL DEFAULT 0, [updated] INTEGER NOT NULL DEFAULT 0, [rejected] INTEGER NOT NULL DEFAULT 0, [error] NVARCHAR(255) NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, [finished_at] DATETIMEOFFSET NULL, PRIMARY KEY ([id]), FOREIGN KEY ([operator_id]) REFERENCES [operators] ([id]) ON DELETE SET NULL);

CREATE INDEX [import_jobs_status] ON [import_jobs] ([status])

CREATE INDEX [recipients_last_name_search] ON [recipients] ([last_name])

CREATE INDEX [recipients_first_name_search] ON [recipients] ([first_name])
