/** A statement's invoice as Stripe has it after issuing. */
export type IssuedStatementInvoice = {
  invoiceId: string;
  customerId: string | null;
  status: string | null;
  amountPaidCents: number;
  hostedInvoiceUrl: string | null;
};

/**
 * The port through which statements are billed (lib/stripe/statement-gateway.ts): one invoice with one line, on the
 * subscription when there is one, charged at once to the card on file (charge_automatically; a decline leaves it open
 * for Stripe's retries and the hosted page), or sent with a due date (send_invoice). Every call is idempotent per key.
 */
export type StatementGateway = {
  issueStatementInvoice(s: {
    customerId: string;
    subscriptionId: string | null;
    amountCents: bigint;
    currency: string;
    description: string;
    collection: "charge_automatically" | "send_invoice";
    daysUntilDue: number | null;
    metadata: Record<string, string>;
    idempotencyKey: string;
  }): Promise<IssuedStatementInvoice>;
};
