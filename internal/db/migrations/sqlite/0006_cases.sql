-- Cases (办件), files, certificates, ratings, notifications.
SELECT 1;
