-- Government-service matter catalogue and 一件事 bundles.
SELECT 1;
