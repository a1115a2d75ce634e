import type { CardGateway, CustomerGateway } from "./cards/card-port";
import type { PaymentIntentGateway } from "./purchases/payment-intent";
import type { CheckoutGateway, TopUpCheckoutGateway } from "./topups/checkout-session";

/**
 * Every port through which the core calls the payment provider, as one object (lib/stripe/gateway.ts builds it from a
 * Stripe client). Each use case names the ports it uses, so a test can hand it just those.
 */
export type BillingGateway = CheckoutGateway & TopUpCheckoutGateway & PaymentIntentGateway & CardGateway & CustomerGateway;
