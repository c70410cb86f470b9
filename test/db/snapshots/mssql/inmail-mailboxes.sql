BEGIN TRANSACTION;

SELECT [message_key] AS [messageKey] FROM [inmail_mailbox_messages] AS [InmailMailboxMessage] WHERE [InmailMailboxMessage].[mailbox] = N'bounces' AND [InmailMailboxMessage].[message_key] IN (N'1700000000:17', N'1700000000:18''');

SELECT [message_key] AS [messageKey] FROM [inmail_mailbox_messages] AS [InmailMailboxMessage] WHERE [InmailMailboxMessage].[mailbox] = N'fbl' AND [InmailMailboxMessage].[message_key] IN (N'UID0001');

COMMIT TRANSACTION;

BEGIN TRANSACTION;

INSERT INTO [inmail_mailbox_messages] ([mailbox],[message_key],[outcome],[spool_id],[processed_at]) OUTPUT INSERTED.[id],INSERTED.[mailbox],INSERTED.[message_key],INSERTED.[outcome],INSERTED.[spool_id],INSERTED.[processed_at] VALUES (N'bounces',N'1700000000:17',N'processed',N's0','2026-03-02 10:00:00.000 +00:00'),(N'bounces',N'1700000000:18''',N'unrecognised',N's1','2026-03-02 10:00:00.000 +00:00'),(N'fbl',N'UID0001',N'processed',N's2','2026-03-02 10:00:00.000 +00:00');

UPDATE [inmail_mailboxes] SET [messages]=[messages]+ 2,[unrecognised]=[unrecognised]+ 1 OUTPUT INSERTED.* WHERE [name] = N'bounces'

UPDATE [inmail_mailboxes] SET [messages]=[messages]+ 1,[unrecognised]=[unrecognised]+ 0 OUTPUT INSERTED.* WHERE [name] = N'fbl'

COMMIT TRANSACTION;

SELECT [message_key] AS [messageKey], [outcome] FROM [inmail_mailbox_messages] AS [InmailMailboxMessage] WHERE [InmailMailboxMessage].[mailbox] = N'bounces';
