ALTER TABLE [broad_logs] ADD [extraction_id] INTEGER NULL;

CREATE INDEX [broad_logs_extraction] ON [broad_logs] ([extraction_id])

IF OBJECT_ID('[routing_extractions]', 'U') IS NULL CREATE TABLE [routing_extractions] ([id] INTEGER NOT NULL IDENTITY(1,1) , [delivery_id] INTEGER NOT NULL, [channel] NVARCHAR(16) NOT NULL, [provider] NVARCHAR(64) NOT NULL, [file_name] NVARCHAR(255) NULL, [status] NVARCHAR(16) NOT NULL, [messages] INTEGER NOT NULL DEFAULT 0, [message_cost] FLOAT NOT NULL DEFAULT 0, [delivery_cost] FLOAT NOT NULL DEFAULT 0, [currency] NVARCHAR(3) NOT NULL, [error] NVARCHAR(1000) NULL, [created_at] DATETIMEOFFSET NOT NULL, [written_at] DATETIMEOFFSET NULL, [uploaded_at] DATETIMEOFFSET NULL, PRIMARY KEY ([id]));

CREATE INDEX [routing_extractions_status] ON [routing_extractions] ([status])

CREATE INDEX [routing_extractions_delivery] ON [routing_extractions] ([delivery_id])

IF OBJECT_ID('[routing_returns]', 'U') IS NULL CREATE TABLE [routing_returns] ([id] INTEGER NOT NULL IDENTITY(1,1) , [provider] NVARCHAR(64) NOT NULL, [file_name] NVARCHAR(255) NOT NULL, [rows_read] INTEGER NOT NULL DEFAULT 0, [applied] INTEGER NOT NULL DEFAULT 0, [unchanged] INTEGER NOT NULL DEFAULT 0, [rejected] INTEGER NOT NULL DEFAULT 0, [imported_at] DATETIMEOFFSET NOT NULL, PRIMARY KEY ([id]));

CREATE INDEX [routing_returns_provider] ON [routing_returns] ([provider], [imported_at])
