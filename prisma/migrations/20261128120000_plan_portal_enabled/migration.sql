-- Whether a plan's teams may open the Stripe customer portal. An Enterprise managed (custom) plan turns it off: its
-- billing is arranged with the platform, so the portal answers BILLING_PORTAL_DISABLED (403).
ALTER TABLE plans ADD COLUMN portal_enabled BOOLEAN NOT NULL DEFAULT true;
