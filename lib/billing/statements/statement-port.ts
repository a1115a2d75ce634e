/** A statement's invoice as Stripe has it after issuing. */
export type IssuedStatementInvoice = {
  invoiceId: string;
  customerId: string | null;
  status: string | null;
  amountPaidCents: number;
  hostedInvoiceUrl: string | null;
  /** How Stripe collects it: the subscription's or the customer's saved card, else sent with a due date. */
  collection: "charge_automatically" | "send_invoice";
};

/**
 * The port through which statements are billed (lib/stripe/statement-gateway.ts): one invoice with one line, on the
 * subscription when there is one, charged at once to the card on file, the subscription's or the customer's saved one
 * (a decline leaves it open for Stripe's retries and the hosted page); without a card, sent with a due date and a
 * payment page (`daysUntilDue`). Every call is idempotent per key.
 */
export type StatementGateway = {
  issueStatementInvoice(s: {
    customerId: string;
    subscriptionId: string | null;
    amountCents: bigint;
    currency: string;
    description: string;
    daysUntilDue: number;
    metadata: Record<string, string>;
    idempotencyKey: string;
  }): Promise<IssuedStatementInvoice>;
};
