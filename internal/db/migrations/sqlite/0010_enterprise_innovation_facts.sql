-- Facts the technology policies are decided on (高新技术企业, 国科发火〔2016〕32号;
-- 科技型中小企业, 国科发政〔2022〕67号): the year's revenue from high-tech
-- products and services, total costs and expenses (the second measure of
-- R&D intensity), and the valid intellectual property related to the main
-- products by class (Ⅰ类: invention patents and their like; Ⅱ类: utility
-- models, designs, software copyrights). NULL means not known.
ALTER TABLE enterprise_facts ADD COLUMN hightech_revenue_fen BIGINT;
ALTER TABLE enterprise_facts ADD COLUMN costs_fen BIGINT;
ALTER TABLE enterprise_facts ADD COLUMN ip_class1 BIGINT;
ALTER TABLE enterprise_facts ADD COLUMN ip_class2 BIGINT;
