-- The credit-line review counts a team's disputes by joining its payments to their money facts. Disputes are a small
-- share of the facts (refunds and charge totals are most of them), and without this index PostgreSQL scanned every
-- team's facts for one team's disputes; with it the join reads only disputes. Partial, so schema.prisma names it in a
-- comment (Prisma cannot express it).
CREATE INDEX "payment_money_facts_disputes_idx" ON "payment_money_facts"("payment_id") WHERE "kind" = 'dispute';
