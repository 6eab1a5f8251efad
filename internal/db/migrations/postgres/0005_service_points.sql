-- 三级四务 service network.
SELECT 1;
