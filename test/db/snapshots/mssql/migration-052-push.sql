IF OBJECT_ID('[push_subscriptions]', 'U') IS NULL CREATE TABLE [push_subscriptions] ([id] INTEGER NOT NULL IDENTITY(1,1) , [recipient_id] INTEGER NOT NULL, [endpoint] NVARCHAR(MAX) NOT NULL, [endpoint_hash] NVARCHAR(64) NOT NULL, [p256dh] NVARCHAR(100) NOT NULL, [auth] NVARCHAR(40) NOT NULL, [status] NVARCHAR(16) NOT NULL DEFAULT N'active', [failure_text] NVARCHAR(255) NULL, [created_at] DATETIMEOFFSET NOT NULL, [updated_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE UNIQUE INDEX [push_subscriptions_endpoint] ON [push_subscriptions] ([endpoint_hash])

CREATE INDEX [push_subscriptions_recipient] ON [push_subscriptions] ([recipient_id], [status])
