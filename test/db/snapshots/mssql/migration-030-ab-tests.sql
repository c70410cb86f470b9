IF OBJECT_ID('[ab_tests]', 'U') IS NULL CREATE TABLE [ab_tests] ([id] INTEGER NOT NULL IDENTITY(1,1) , [workflow_id] INTEGER NOT NULL, [activity] NVARCHAR(40) NOT NULL, [wave_key] NVARCHAR(40) NOT NULL, [criterion] NVARCHAR(8) NOT NULL, [delivery_a_id] INTEGER NULL, [delivery_b_id] INTEGER NULL, [counts] NVARCHAR(MAX) NOT NULL, [winner] NVARCHAR(1) NOT NULL, [decided_by] NVARCHAR(8) NOT NULL, [status] NVARCHAR(24) NOT NULL, [task_id] BIGINT NULL, [rest_size] INTEGER NOT NULL DEFAULT 0, [winner_delivery_id] INTEGER NULL, [decided_at] DATETIMEOFFSET NOT NULL, [confirmed_by] NVARCHAR(100) NULL, [confirmed_at] DATETIMEOFFSET NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]), FOREIGN KEY ([workflow_id]) REFERENCES [workflows] ([id]) ON DELETE CASCADE);

CREATE UNIQUE INDEX [ab_tests_wave] ON [ab_tests] ([workflow_id], [activity], [wave_key])

CREATE INDEX [ab_tests_status] ON [ab_tests] ([status])
