IF OBJECT_ID('[tracking_checkpoints]', 'U') IS NULL CREATE TABLE [tracking_checkpoints] ([server] NVARCHAR(200) NOT NULL , [position] NVARCHAR(100) NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([server]));

ALTER TABLE [delivery_indicators] ADD [raw_reactivity] FLOAT NULL;

ALTER TABLE [delivery_indicators] ADD [estimated_reactivity] FLOAT NULL;

ALTER TABLE [delivery_indicators] ADD [click_through] FLOAT NULL;
