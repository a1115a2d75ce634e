-- When the subscription state on the row was read from Stripe: a snapshot read earlier than the one already applied is
-- older news (two events handled at once, applied in the other order) and is not applied over it.
ALTER TABLE "subscriptions" ADD COLUMN "state_read_at" TIMESTAMPTZ(3);
