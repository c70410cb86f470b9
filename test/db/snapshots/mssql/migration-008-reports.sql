IF OBJECT_ID('[delivery_failure_stats]', 'U') IS NULL CREATE TABLE [delivery_failure_stats] ([delivery_id] INTEGER NOT NULL , [domain] NVARCHAR(255) NOT NULL , [failure_type] NVARCHAR(16) NOT NULL , [failure_reason] NVARCHAR(32) NOT NULL , [messages] INTEGER NOT NULL DEFAULT 0, [computed_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([delivery_id], [domain], [failure_type], [failure_reason]));

IF OBJECT_ID('[subscription_daily_stats]', 'U') IS NULL CREATE TABLE [subscription_daily_stats] ([service_id] INTEGER NOT NULL , [day] NVARCHAR(10) NOT NULL , [subscribed] INTEGER NOT NULL DEFAULT 0, [confirmed] INTEGER NOT NULL DEFAULT 0, [unsubscribed] INTEGER NOT NULL DEFAULT 0, [expired] INTEGER NOT NULL DEFAULT 0, [computed_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([service_id], [day]));

CREATE INDEX [broad_logs_failures] ON [broad_logs] ([delivery_id], [status], [failure_reason])

CREATE INDEX [subscription_history_at] ON [subscription_history] ([at])

CREATE INDEX [quarantines_status_reason] ON [quarantines] ([status], [failure_reason])

CREATE INDEX [workflow_runs_status] ON [workflow_runs] ([status], [started_at])
