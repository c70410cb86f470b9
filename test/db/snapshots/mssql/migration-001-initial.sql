IF OBJECT_ID('[recipients]', 'U') IS NULL CREATE TABLE [recipients] ([id] INTEGER NOT NULL IDENTITY(1,1) , [email] NVARCHAR(320) NOT NULL, [first_name] NVARCHAR(255) NULL, [last_name] NVARCHAR(255) NULL, [email_format] NVARCHAR(8) NOT NULL, [fields] NVARCHAR(MAX) NULL, [denylisted] BIT NOT NULL DEFAULT 0, [denylisted_email] BIT NOT NULL DEFAULT 0, [erased_at] DATETIMEOFFSET NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [recipients_email] ON [recipients] ([email])

CREATE INDEX [recipients_updated_at] ON [recipients] ([updated_at])

IF OBJECT_ID('[lists]', 'U') IS NULL CREATE TABLE [lists] ([id] INTEGER NOT NULL IDENTITY(1,1) , [name] NVARCHAR(100) NOT NULL, [label] NVARCHAR(255) NOT NULL, [description] NVARCHAR(MAX) NULL, [expires_at] DATETIMEOFFSET NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [lists_name] ON [lists] ([name])

IF OBJECT_ID('[list_members]', 'U') IS NULL CREATE TABLE [list_members] ([list_id] INTEGER NOT NULL , [recipient_id] INTEGER NOT NULL , [created_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([list_id], [recipient_id]), FOREIGN KEY ([list_id]) REFERENCES [lists] ([id]) ON DELETE CASCADE, FOREIGN KEY ([recipient_id]) REFERENCES [recipients] ([id]) ON DELETE CASCADE);

CREATE INDEX [list_members_recipient_id] ON [list_members] ([recipient_id])

IF OBJECT_ID('[services]', 'U') IS NULL CREATE TABLE [services] ([id] INTEGER NOT NULL IDENTITY(1,1) , [name] NVARCHAR(100) NOT NULL, [label] NVARCHAR(255) NOT NULL, [description] NVARCHAR(MAX) NULL, [channel] NVARCHAR(16) NOT NULL, [double_opt_in] BIT NOT NULL DEFAULT 1, [validity_days] INTEGER NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [services_name] ON [services] ([name])

IF OBJECT_ID('[subscriptions]', 'U') IS NULL CREATE TABLE [subscriptions] ([id] INTEGER NOT NULL IDENTITY(1,1) , [service_id] INTEGER NOT NULL, [recipient_id] INTEGER NOT NULL, [status] NVARCHAR(16) NOT NULL, [origin] NVARCHAR(32) NULL, [confirmed_at] DATETIMEOFFSET NULL, [expires_at] DATETIMEOFFSET NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]), FOREIGN KEY ([service_id]) REFERENCES [services] ([id]) ON DELETE CASCADE, FOREIGN KEY ([recipient_id]) REFERENCES [recipients] ([id]) ON DELETE CASCADE);

CREATE UNIQUE INDEX [subscriptions_service_id_recipient_id] ON [subscriptions] ([service_id], [recipient_id])

CREATE INDEX [subscriptions_recipient_id] ON [subscriptions] ([recipient_id])

CREATE INDEX [subscriptions_service_id_status] ON [subscriptions] ([service_id], [status])

IF OBJECT_ID('[subscription_history]', 'U') IS NULL CREATE TABLE [subscription_history] ([id] BIGINT NOT NULL IDENTITY(1,1) , [service_id] INTEGER NOT NULL, [recipient_id] INTEGER NOT NULL, [action] NVARCHAR(16) NOT NULL, [origin] NVARCHAR(32) NULL, [at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE INDEX [subscription_history_service_id_at] ON [subscription_history] ([service_id], [at])

CREATE INDEX [subscription_history_recipient_id] ON [subscription_history] ([recipient_id])

IF OBJECT_ID('[operators]', 'U') IS NULL CREATE TABLE [operators] ([id] INTEGER NOT NULL IDENTITY(1,1) , [login] NVARCHAR(64) NOT NULL, [name] NVARCHAR(255) NULL, [email] NVARCHAR(320) NULL, [password_hash] NVARCHAR(255) NOT NULL, [rights] NVARCHAR(MAX) NOT NULL, [disabled] BIT NOT NULL DEFAULT 0, [must_change_password] BIT NOT NULL DEFAULT 0, [last_login_at] DATETIMEOFFSET NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [operators_login] ON [operators] ([login])

IF OBJECT_ID('[api_keys]', 'U') IS NULL CREATE TABLE [api_keys] ([id] INTEGER NOT NULL IDENTITY(1,1) , [name] NVARCHAR(100) NOT NULL, [prefix] NVARCHAR(16) NOT NULL, [secret_hash] NVARCHAR(128) NOT NULL, [scopes] NVARCHAR(MAX) NOT NULL, [operator_id] INTEGER NULL, [last_used_at] DATETIMEOFFSET NULL, [expires_at] DATETIMEOFFSET NULL, [revoked_at] DATETIMEOFFSET NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]), FOREIGN KEY ([operator_id]) REFERENCES [operators] ([id]) ON DELETE SET NULL);

CREATE UNIQUE INDEX [api_keys_prefix] ON [api_keys] ([prefix])

IF OBJECT_ID('[deliveries]', 'U') IS NULL CREATE TABLE [deliveries] ([id] INTEGER NOT NULL IDENTITY(1,1) , [internal_name] NVARCHAR(100) NOT NULL, [label] NVARCHAR(255) NOT NULL, [is_template] BIT NOT NULL DEFAULT 0, [template_id] INTEGER NULL, [kind] NVARCHAR(16) NOT NULL, [state] NVARCHAR(24) NOT NULL, [subject] NVARCHAR(MAX) NULL, [from_name] NVARCHAR(255) NULL, [from_address] NVARCHAR(320) NULL, [reply_to] NVARCHAR(320) NULL, [html] NVARCHAR(MAX) NULL, [text] NVARCHAR(MAX) NULL, [headers] NVARCHAR(MAX) NULL, [target] NVARCHAR(MAX) NULL, [exclusions] NVARCHAR(MAX) NULL, [service_id] INTEGER NULL, [tracking_enabled] BIT NOT NULL DEFAULT 1, [open_tracking] BIT NOT NULL DEFAULT 1, [scheduled_at] DATETIMEOFFSET NULL, [validity_end] DATETIMEOFFSET NULL, [web_validity_end] DATETIMEOFFSET NULL, [analysed_at] DATETIMEOFFSET NULL, [started_at] DATETIMEOFFSET NULL, [finished_at] DATETIMEOFFSET NULL, [total_target] INTEGER NOT NULL DEFAULT 0, [excluded] INTEGER NOT NULL DEFAULT 0, [to_deliver] INTEGER NOT NULL DEFAULT 0, [processed] INTEGER NOT NULL DEFAULT 0, [sent] INTEGER NOT NULL DEFAULT 0, [failed] INTEGER NOT NULL DEFAULT 0, [new_quarantine] INTEGER NOT NULL DEFAULT 0, [analysis] NVARCHAR(MAX) NULL, [last_error] NVARCHAR(MAX) NULL, [created_by] INTEGER NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]), FOREIGN KEY ([service_id]) REFERENCES [services] ([id]) ON DELETE SET NULL, FOREIGN KEY ([created_by]) REFERENCES [operators] ([id]) ON DELETE SET NULL);

CREATE UNIQUE INDEX [deliveries_internal_name] ON [deliveries] ([internal_name])

CREATE INDEX [deliveries_state] ON [deliveries] ([state])

CREATE INDEX [deliveries_is_template_created_at] ON [deliveries] ([is_template], [created_at])

IF OBJECT_ID('[tracking_urls]', 'U') IS NULL CREATE TABLE [tracking_urls] ([id] INTEGER NOT NULL IDENTITY(1,1) , [delivery_id] INTEGER NOT NULL, [type] NVARCHAR(16) NOT NULL, [url] NVARCHAR(MAX) NOT NULL, [label] NVARCHAR(255) NULL, [category] NVARCHAR(64) NULL, [created_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]), FOREIGN KEY ([delivery_id]) REFERENCES [deliveries] ([id]) ON DELETE CASCADE);

CREATE INDEX [tracking_urls_delivery_id] ON [tracking_urls] ([delivery_id])

IF OBJECT_ID('[broad_logs]', 'U') IS NULL CREATE TABLE [broad_logs] ([id] BIGINT NOT NULL IDENTITY(1,1) , [delivery_id] INTEGER NOT NULL, [recipient_id] INTEGER NULL, [address] NVARCHAR(320) NOT NULL, [email_format] NVARCHAR(8) NOT NULL, [status] NVARCHAR(16) NOT NULL, [failure_type] NVARCHAR(16) NULL, [failure_reason] NVARCHAR(32) NULL, [failure_text] NVARCHAR(MAX) NULL, [bounce_text_id] INTEGER NULL, [attempts] INTEGER NOT NULL DEFAULT 0, [next_attempt_at] DATETIMEOFFSET NULL, [lease_owner] NVARCHAR(64) NULL, [lease_expires_at] DATETIMEOFFSET NULL, [smtp_response] NVARCHAR(MAX) NULL, [message_id] NVARCHAR(255) NULL, [sent_at] DATETIMEOFFSET NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE INDEX [broad_logs_due] ON [broad_logs] ([status], [next_attempt_at])

CREATE INDEX [broad_logs_delivery_status] ON [broad_logs] ([delivery_id], [status])

CREATE INDEX [broad_logs_recipient] ON [broad_logs] ([recipient_id])

CREATE INDEX [broad_logs_lease_owner] ON [broad_logs] ([lease_owner])

IF OBJECT_ID('[exclusion_logs]', 'U') IS NULL CREATE TABLE [exclusion_logs] ([id] BIGINT NOT NULL IDENTITY(1,1) , [delivery_id] INTEGER NOT NULL, [recipient_id] INTEGER NULL, [address] NVARCHAR(320) NULL, [reason] NVARCHAR(32) NOT NULL, [detail] NVARCHAR(255) NULL, [created_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE INDEX [exclusion_logs_delivery_id_reason] ON [exclusion_logs] ([delivery_id], [reason])

IF OBJECT_ID('[tracking_logs]', 'U') IS NULL CREATE TABLE [tracking_logs] ([id] BIGINT NOT NULL IDENTITY(1,1) , [hit_id] NVARCHAR(64) NOT NULL, [delivery_id] INTEGER NOT NULL, [broad_log_id] BIGINT NULL, [recipient_id] INTEGER NULL, [url_id] INTEGER NULL, [url_type] NVARCHAR(16) NOT NULL, [logged_at] DATETIMEOFFSET NOT NULL, [source_id] NVARCHAR(64) NULL, [ip] NVARCHAR(64) NULL, [user_agent] NVARCHAR(512) NULL, [bot] NVARCHAR(32) NULL, [server] NVARCHAR(100) NULL, [created_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [tracking_logs_hit_id] ON [tracking_logs] ([hit_id])

CREATE INDEX [tracking_logs_delivery_time] ON [tracking_logs] ([delivery_id], [logged_at])

CREATE INDEX [tracking_logs_broad_log_id] ON [tracking_logs] ([broad_log_id])

CREATE INDEX [tracking_logs_logged_at] ON [tracking_logs] ([logged_at])

IF OBJECT_ID('[tracking_stats]', 'U') IS NULL CREATE TABLE [tracking_stats] ([id] BIGINT NOT NULL IDENTITY(1,1) , [delivery_id] INTEGER NOT NULL, [url_id] INTEGER NOT NULL, [slot_start] DATETIMEOFFSET NOT NULL, [clicks] INTEGER NOT NULL DEFAULT 0, [human_clicks] INTEGER NOT NULL DEFAULT 0, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [tracking_stats_delivery_id_url_id_slot_start] ON [tracking_stats] ([delivery_id], [url_id], [slot_start])

IF OBJECT_ID('[delivery_indicators]', 'U') IS NULL CREATE TABLE [delivery_indicators] ([delivery_id] INTEGER NOT NULL , [recipient_opens] INTEGER NOT NULL DEFAULT 0, [total_opens] INTEGER NOT NULL DEFAULT 0, [estimated_opens] INTEGER NOT NULL DEFAULT 0, [recipient_clicks] INTEGER NOT NULL DEFAULT 0, [person_clicks] INTEGER NOT NULL DEFAULT 0, [total_clicks] INTEGER NOT NULL DEFAULT 0, [estimated_forwards] INTEGER NOT NULL DEFAULT 0, [opt_outs] INTEGER NOT NULL DEFAULT 0, [mirror_views] INTEGER NOT NULL DEFAULT 0, [human_opens] INTEGER NOT NULL DEFAULT 0, [human_clicks] INTEGER NOT NULL DEFAULT 0, [computed_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([delivery_id]));

IF OBJECT_ID('[quarantines]', 'U') IS NULL CREATE TABLE [quarantines] ([id] INTEGER NOT NULL IDENTITY(1,1) , [address] NVARCHAR(320) NOT NULL, [domain] NVARCHAR(255) NOT NULL, [status] NVARCHAR(16) NOT NULL, [failure_type] NVARCHAR(16) NULL, [failure_reason] NVARCHAR(32) NULL, [error_count] INTEGER NOT NULL DEFAULT 0, [last_error_at] DATETIMEOFFSET NULL, [text] NVARCHAR(MAX) NULL, [delivery_id] INTEGER NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [quarantines_address] ON [quarantines] ([address])

CREATE INDEX [quarantines_status_updated_at] ON [quarantines] ([status], [updated_at])

CREATE INDEX [quarantines_domain] ON [quarantines] ([domain])

IF OBJECT_ID('[bounce_texts]', 'U') IS NULL CREATE TABLE [bounce_texts] ([id] INTEGER NOT NULL IDENTITY(1,1) , [text_hash] NVARCHAR(64) NOT NULL, [text] NVARCHAR(MAX) NOT NULL, [first_text] NVARCHAR(MAX) NOT NULL, [failure_type] NVARCHAR(16) NOT NULL, [failure_reason] NVARCHAR(32) NOT NULL, [rule] NVARCHAR(100) NULL, [status] NVARCHAR(16) NOT NULL, [occurrences] INTEGER NOT NULL DEFAULT 1, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [bounce_texts_text_hash] ON [bounce_texts] ([text_hash])

CREATE INDEX [bounce_texts_status_occurrences] ON [bounce_texts] ([status], [occurrences])

IF OBJECT_ID('[workflows]', 'U') IS NULL CREATE TABLE [workflows] ([id] INTEGER NOT NULL IDENTITY(1,1) , [name] NVARCHAR(100) NOT NULL, [label] NVARCHAR(255) NOT NULL, [kind] NVARCHAR(16) NOT NULL, [state] NVARCHAR(16) NOT NULL, [schedule] NVARCHAR(100) NULL, [enabled] BIT NOT NULL DEFAULT 1, [definition] NVARCHAR(MAX) NULL, [lease_owner] NVARCHAR(64) NULL, [lease_expires_at] DATETIMEOFFSET NULL, [last_run_at] DATETIMEOFFSET NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [workflows_name] ON [workflows] ([name])

IF OBJECT_ID('[workflow_runs]', 'U') IS NULL CREATE TABLE [workflow_runs] ([id] BIGINT NOT NULL IDENTITY(1,1) , [workflow_id] INTEGER NOT NULL, [trigger] NVARCHAR(16) NOT NULL, [status] NVARCHAR(16) NOT NULL, [started_at] DATETIMEOFFSET NOT NULL, [ended_at] DATETIMEOFFSET NULL, [duration_ms] INTEGER NULL, [counts] NVARCHAR(MAX) NULL, [error] NVARCHAR(MAX) NULL, [owner] NVARCHAR(64) NULL, PRIMARY KEY ([id]), FOREIGN KEY ([workflow_id]) REFERENCES [workflows] ([id]) ON DELETE CASCADE);

CREATE INDEX [workflow_runs_workflow_id_started_at] ON [workflow_runs] ([workflow_id], [started_at])

CREATE INDEX [workflow_runs_started_at] ON [workflow_runs] ([started_at])

IF OBJECT_ID('[inbound_messages]', 'U') IS NULL CREATE TABLE [inbound_messages] ([id] BIGINT NOT NULL IDENTITY(1,1) , [received_at] DATETIMEOFFSET NOT NULL, [mail_from] NVARCHAR(320) NULL, [rcpt_to] NVARCHAR(320) NULL, [subject] NVARCHAR(255) NULL, [message_id] NVARCHAR(255) NULL, [kind] NVARCHAR(16) NOT NULL, [status] NVARCHAR(16) NOT NULL, [reason] NVARCHAR(255) NULL, [spool_file] NVARCHAR(255) NULL, [size] INTEGER NOT NULL DEFAULT 0, [created_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE INDEX [inbound_messages_status_received_at] ON [inbound_messages] ([status], [received_at])

IF OBJECT_ID('[smtp_stats]', 'U') IS NULL CREATE TABLE [smtp_stats] ([id] BIGINT NOT NULL IDENTITY(1,1) , [domain] NVARCHAR(255) NOT NULL, [slot_start] DATETIMEOFFSET NOT NULL, [connections] INTEGER NOT NULL DEFAULT 0, [messages] INTEGER NOT NULL DEFAULT 0, [sent] INTEGER NOT NULL DEFAULT 0, [soft_errors] INTEGER NOT NULL DEFAULT 0, [hard_errors] INTEGER NOT NULL DEFAULT 0, [timeouts] INTEGER NOT NULL DEFAULT 0, [refused_connections] INTEGER NOT NULL DEFAULT 0, [last_response] NVARCHAR(MAX) NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [smtp_stats_domain_slot_start] ON [smtp_stats] ([domain], [slot_start])

CREATE INDEX [smtp_stats_slot_start] ON [smtp_stats] ([slot_start])
