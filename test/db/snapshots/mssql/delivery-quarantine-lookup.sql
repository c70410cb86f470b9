SELECT [address], [status] FROM [quarantines] AS [Quarantine] WHERE [Quarantine].[address] IN (N'ann@example.com', N'o''hara@example.com') AND [Quarantine].[status] IN (N'quarantine', N'denylisted');
