ALTER TABLE [deliveries] ADD [paused_at] DATETIMEOFFSET NULL;
