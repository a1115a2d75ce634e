import type { CardGateway, SavedCard } from "./card-port";

export type { SavedCard } from "./card-port";

/**
 * The card off-session charges use: the customer's default payment method when it is a card, else the most recent card
 * saved to the customer. Null without a customer or a card (Buy Credit then answers NO_PAYMENT_METHOD).
 */
export async function getSavedCard({ gateway, customerId }: { gateway: CardGateway; customerId: string | null }): Promise<SavedCard | null> {
  if (!customerId) return null;
  return gateway.findSavedCard(customerId);
}
