ALTER TABLE [operators] ADD [time_zone] NVARCHAR(64) NULL;

ALTER TABLE [recipients] ADD [time_zone] NVARCHAR(64) NULL;

ALTER TABLE [deliveries] ADD [time_zone] NVARCHAR(64) NULL;

ALTER TABLE [deliveries] ADD [local_send_time] NVARCHAR(5) NULL;
