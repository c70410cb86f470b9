ALTER TABLE [workflow_runs] ADD [slot] DATETIMEOFFSET NULL;

IF OBJECT_ID('[workflow_tasks]', 'U') IS NULL CREATE TABLE [workflow_tasks] ([id] BIGINT NOT NULL IDENTITY(1,1) , [workflow_id] INTEGER NOT NULL, [activity] NVARCHAR(40) NOT NULL, [status] NVARCHAR(16) NOT NULL, [due_at] DATETIMEOFFSET NOT NULL, [context] NVARCHAR(MAX) NULL, [size] INTEGER NOT NULL DEFAULT 0, [origin_run_id] BIGINT NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]), FOREIGN KEY ([workflow_id]) REFERENCES [workflows] ([id]) ON DELETE CASCADE);

CREATE INDEX [workflow_tasks_due] ON [workflow_tasks] ([workflow_id], [status], [due_at])

CREATE INDEX [workflow_tasks_status_updated_at] ON [workflow_tasks] ([status], [updated_at])

IF OBJECT_ID('[workflow_task_members]', 'U') IS NULL CREATE TABLE [workflow_task_members] ([task_id] BIGINT NOT NULL , [recipient_id] INTEGER NOT NULL , PRIMARY KEY ([task_id], [recipient_id]));

IF OBJECT_ID('[workflow_targets]', 'U') IS NULL CREATE TABLE [workflow_targets] ([workflow_id] INTEGER NOT NULL , [activity] NVARCHAR(40) NOT NULL , [recipient_id] INTEGER NOT NULL , [created_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([workflow_id], [activity], [recipient_id]));
