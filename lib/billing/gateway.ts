import type { CardGateway, CustomerGateway } from "./cards/card-port";
import type { PaymentIntentGateway } from "./purchases/payment-intent";
import type { RefundGateway } from "./refunds/refund-port";
import type { StatementGateway } from "./statements/statement-port";
import type { SubscriptionChangeGateway, SubscriptionGateway } from "./subscriptions/subscription-port";
import type { CheckoutGateway, TopUpCheckoutGateway } from "./topups/checkout-session";

/**
 * Every port through which the core calls the payment provider, as one object (lib/stripe/gateway.ts builds it from a
 * Stripe client). Each use case names the ports it uses, so a test can hand it just those.
 */
export type BillingGateway = CheckoutGateway &
  TopUpCheckoutGateway &
  PaymentIntentGateway &
  CardGateway &
  CustomerGateway &
  SubscriptionGateway &
  SubscriptionChangeGateway &
  StatementGateway &
  RefundGateway;

/**
 * Ports that reach the provider only when first called: a page or read that may not need Stripe at all (no session
 * to look up) works on an installation without it, and only a real call can fail with STRIPE_UNAVAILABLE.
 */
export function lazyPorts<T extends object>(make: () => T): T {
  let ports: T | null = null;
  return new Proxy({} as T, {
    get: (_target, name) => {
      return (...args: unknown[]) => {
        ports ??= make();
        return (ports[name as keyof T] as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
}
