ALTER TABLE [recipients] ADD [mobile] NVARCHAR(16) NULL;

ALTER TABLE [recipients] ADD [fax] NVARCHAR(16) NULL;

ALTER TABLE [recipients] ADD [address_line1] NVARCHAR(255) NULL;

ALTER TABLE [recipients] ADD [address_line2] NVARCHAR(255) NULL;

ALTER TABLE [recipients] ADD [postal_code] NVARCHAR(16) NULL;

ALTER TABLE [recipients] ADD [city] NVARCHAR(100) NULL;

ALTER TABLE [recipients] ADD [country] NVARCHAR(2) NULL;

ALTER TABLE [recipients] ADD [denylisted_sms] BIT NOT NULL DEFAULT 0;

ALTER TABLE [recipients] ADD [denylisted_push] BIT NOT NULL DEFAULT 0;

ALTER TABLE [recipients] ADD [denylisted_postal] BIT NOT NULL DEFAULT 0;

ALTER TABLE [recipients] ADD [denylisted_fax] BIT NOT NULL DEFAULT 0;

CREATE INDEX [recipients_mobile] ON [recipients] ([mobile])

ALTER TABLE [deliveries] ADD [channel] NVARCHAR(16) NOT NULL DEFAULT N'email';

ALTER TABLE [quarantines] ADD [channel] NVARCHAR(16) NOT NULL DEFAULT N'email';

DROP INDEX [quarantines_address] ON [quarantines]

CREATE UNIQUE INDEX [quarantines_address_channel] ON [quarantines] ([address], [channel])

CREATE INDEX [quarantines_channel_status] ON [quarantines] ([channel], [status])
