BEGIN TRANSACTION;

UPDATE [broad_logs] SET [status] = CASE [id] WHEN 1 THEN N'failed' ELSE [status] END, [failure_type] = CASE [id] WHEN 1 THEN N'hard' WHEN 2 THEN N'ignored' ELSE [failure_type] END, [failure_reason] = CASE [id] WHEN 1 THEN N'user_unknown' WHEN 2 THEN N'error_ignored' ELSE [failure_reason] END, [failure_text] = CASE [id] WHEN 1 THEN N'550 it''s gone' WHEN 2 THEN N'Out of office' ELSE [failure_text] END, [bounce_text_id] = CASE [id] WHEN 1 THEN 7 WHEN 2 THEN NULL ELSE [bounce_text_id] END, [updated_at] = '2026-03-02 10:00:00.000 +00:00' WHERE [id] IN (1, 2)

COMMIT TRANSACTION;
