ALTER TABLE [deliveries] ADD [complaints] INTEGER NOT NULL DEFAULT 0;

ALTER TABLE [broad_logs] ADD [complained_at] DATETIMEOFFSET NULL;
