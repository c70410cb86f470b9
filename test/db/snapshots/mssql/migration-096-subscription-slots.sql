IF OBJECT_ID('[subscription_slot_stats]', 'U') IS NULL CREATE TABLE [subscription_slot_stats] ([service_id] INTEGER NOT NULL , [slot] NVARCHAR(16) NOT NULL , [subscribed] INTEGER NOT NULL DEFAULT 0, [confirmed] INTEGER NOT NULL DEFAULT 0, [unsubscribed] INTEGER NOT NULL DEFAULT 0, [expired] INTEGER NOT NULL DEFAULT 0, [computed_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([service_id], [slot]));

IF OBJECT_ID('[subscription_daily_stats]', 'U') IS NOT NULL DROP TABLE [subscription_daily_stats];
