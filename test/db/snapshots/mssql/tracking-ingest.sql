BEGIN TRANSACTION;

SELECT [hit_id] AS [hitId] FROM [tracking_logs] AS [TrackingLog] WHERE [TrackingLog].[hit_id] IN (N'h''1', N'h2');

SELECT [id], [delivery_id] AS [deliveryId], [recipient_id] AS [recipientId], [sent_at] AS [sentAt] FROM [broad_logs] AS [BroadLog] WHERE [BroadLog].[id] IN (1001, 1002);

SELECT [id], [hit_id] AS [hitId], [delivery_id] AS [deliveryId], [broad_log_id] AS [broadLogId], [url_id] AS [urlId], [url_type] AS [urlType], [logged_at] AS [loggedAt], [user_agent] AS [userAgent], [bot] FROM [tracking_logs] AS [TrackingLog] WHERE [TrackingLog].[broad_log_id] IN (1001);

SELECT [delivery_id] AS [deliveryId], COUNT([id]) AS [n] FROM [tracking_urls] AS [TrackingUrl] WHERE [TrackingUrl].[type] IN (N'click', N'opt_out') AND [TrackingUrl].[delivery_id] IN (7) GROUP BY [delivery_id];

INSERT INTO [tracking_logs] ([hit_id],[delivery_id],[broad_log_id],[recipient_id],[url_id],[url_type],[logged_at],[source_id],[ip],[user_agent],[bot],[server],[created_at]) VALUES (N'h''1',7,1001,5,71,N'click','2026-03-02 12:00:00.000 +00:00',N'f:abc',N'192.0.2.1',N'Mozilla/5.0 (''quoted'')',NULL,N'http://127.0.0.1:8081','2026-03-02 12:00:00.000 +00:00');

UPDATE [tracking_logs] SET [bot]=@0 WHERE [id] IN (3)
-- bind: {"0":"link_burst"}

MERGE INTO [tracking_checkpoints] WITH(HOLDLOCK) AS [tracking_checkpoints_target] USING (VALUES(N'http://127.0.0.1:8081', N'0123456789abcdef.1.250', '2026-03-02 12:00:00.000 +00:00')) AS [tracking_checkpoints_source]([server], [position], [updated_at]) ON [tracking_checkpoints_target].[server] = [tracking_checkpoints_source].[server] WHEN MATCHED THEN UPDATE SET [tracking_checkpoints_target].[server] = N'http://127.0.0.1:8081', [tracking_checkpoints_target].[position] = N'0123456789abcdef.1.250', [tracking_checkpoints_target].[updated_at] = '2026-03-02 12:00:00.000 +00:00' WHEN NOT MATCHED THEN INSERT ([server], [position], [updated_at]) VALUES(N'http://127.0.0.1:8081', N'0123456789abcdef.1.250', '2026-03-02 12:00:00.000 +00:00') OUTPUT $action, INSERTED.*;

COMMIT TRANSACTION;
