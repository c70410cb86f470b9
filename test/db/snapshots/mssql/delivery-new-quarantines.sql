BEGIN TRANSACTION;

UPDATE [deliveries] SET [new_quarantine]=[new_quarantine]+ 2 OUTPUT INSERTED.* WHERE [id] = 5

COMMIT TRANSACTION;
