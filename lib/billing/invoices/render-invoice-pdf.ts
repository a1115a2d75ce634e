import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import { billingConfig, type InvoiceIssuer } from "../config";
import { formatCents, formatCredits } from "../money";
import { invoiceStatusWords } from "../words";
import type { InvoiceView } from "./invoice-view";

const PAGE = { width: 595.28, height: 841.89 }; // A4 in points
const MARGIN = 56;
const INK = rgb(0.1, 0.12, 0.16);
const MUTED = rgb(0.35, 0.38, 0.45);

const dateOnly = (d: Date) => d.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });

/**
 * An invoice as a PDF, drawn with pdf-lib. Every string (billing details included) is drawn as text with the
 * standard Helvetica font, never parsed, so markup in a company name prints literally; characters that font cannot
 * encode (outside Windows-1252) print as "?" instead of failing the download. The issuer is the configured one
 * (INVOICE_ISSUER_NAME, INVOICE_ISSUER_ADDRESS).
 */
export async function renderInvoicePdf({
  invoice,
  issuer = billingConfig().invoiceIssuer,
}: {
  invoice: InvoiceView;
  issuer?: InvoiceIssuer;
}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const supported = new Set(regular.getCharacterSet());
  const safe = (s: string) => Array.from(s.normalize("NFC"), (ch) => (supported.has(ch.codePointAt(0)!) ? ch : "?")).join("");

  pdf.setTitle(safe(`Invoice ${invoice.number}`));
  pdf.setAuthor(safe(issuer.name));
  pdf.setCreator("Creditdesk");
  pdf.setProducer("Creditdesk (pdf-lib)");
  pdf.setCreationDate(invoice.createdAt);

  let page: PDFPage = pdf.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - MARGIN;
  const newPageIfNeeded = (needed: number) => {
    if (y - needed >= MARGIN) return;
    page = pdf.addPage([PAGE.width, PAGE.height]);
    y = PAGE.height - MARGIN;
  };
  const text = (s: string, opts: { x?: number; size?: number; font?: PDFFont; color?: ReturnType<typeof rgb>; maxWidth?: number } = {}) => {
    const size = opts.size ?? 10;
    const font = opts.font ?? regular;
    const lines = wrap(safe(s), font, size, opts.maxWidth ?? PAGE.width - 2 * MARGIN - (opts.x ?? 0));
    for (const line of lines) {
      newPageIfNeeded(size + 4);
      page.drawText(line, { x: MARGIN + (opts.x ?? 0), y: y - size, size, font, color: opts.color ?? INK });
      y -= size + 4;
    }
  };

  text("INVOICE", { size: 22, font: bold });
  y -= 4;
  text(`Number ${invoice.number}`, { size: 11, font: bold });
  text(`Status: ${invoiceStatusWords(invoice.status)}${invoice.paidAt ? ` (paid ${dateOnly(invoice.paidAt)})` : ""}`, { color: MUTED });
  text(`Issued ${dateOnly(invoice.createdAt)}`, { color: MUTED });
  const sameDay = invoice.periodStart.toISOString().slice(0, 10) === invoice.periodEnd.toISOString().slice(0, 10);
  const period = sameDay ? dateOnly(invoice.periodStart) : `${dateOnly(invoice.periodStart)} to ${dateOnly(invoice.periodEnd)}`;
  text(`Period: ${period}`, { color: MUTED });
  y -= 12;

  const top = y;
  text("From", { font: bold });
  text(issuer.name);
  for (const l of issuer.lines) text(l, { color: MUTED });
  const leftBottom = y;
  y = top;
  const half = (PAGE.width - 2 * MARGIN) / 2;
  text("Billed to", { x: half, font: bold });
  const b = invoice.billedTo;
  const cityLine = b ? [b.postalCode, b.city, b.region].filter(Boolean).join(" ") : "";
  const billed = b
    ? [
        b.companyName ?? b.teamName,
        b.companyName ? b.teamName : null,
        b.addressLine1,
        b.addressLine2,
        cityLine || null,
        b.country,
        b.taxId ? `Tax ID: ${b.taxId}` : null,
        b.billingEmail,
      ]
    : [];
  for (const l of billed) if (l) text(l, { x: half });
  if (!b) text("(no billing details on file)", { x: half, color: MUTED });
  y = Math.min(y, leftBottom) - 16;

  // Lines: description, quantity, amount.
  const amountX = PAGE.width - 2 * MARGIN - 90;
  const qtyX = amountX - 50;
  newPageIfNeeded(40);
  page.drawText("Description", { x: MARGIN, y: y - 10, size: 10, font: bold, color: INK });
  page.drawText("Qty", { x: MARGIN + qtyX, y: y - 10, size: 10, font: bold, color: INK });
  page.drawText("Amount", { x: MARGIN + amountX, y: y - 10, size: 10, font: bold, color: INK });
  y -= 16;
  page.drawLine({ start: { x: MARGIN, y }, end: { x: PAGE.width - MARGIN, y }, thickness: 0.5, color: MUTED });
  y -= 6;
  for (const line of invoice.lines) {
    const rowTop = y;
    text(line.description, { maxWidth: qtyX - 12 });
    const rowBottom = y;
    page.drawText(String(line.quantity), { x: MARGIN + qtyX, y: rowTop - 10, size: 10, font: regular, color: INK });
    page.drawText(safe(formatCents(line.amountCents, invoice.currency)), { x: MARGIN + amountX, y: rowTop - 10, size: 10, font: regular, color: INK });
    y = rowBottom - 4;
  }
  page.drawLine({ start: { x: MARGIN, y }, end: { x: PAGE.width - MARGIN, y }, thickness: 0.5, color: MUTED });
  y -= 8;
  newPageIfNeeded(20);
  page.drawText("Total", { x: MARGIN + qtyX, y: y - 12, size: 12, font: bold, color: INK });
  page.drawText(safe(formatCents(invoice.amountCents, invoice.currency)), { x: MARGIN + amountX, y: y - 12, size: 12, font: bold, color: INK });
  y -= 24;
  if (invoice.credits) {
    const c = invoice.credits;
    const parts = [
      `${formatCredits(c.bought)} bought`,
      ...(c.bonus !== 0n ? [`${formatCredits(c.bonus)} bonus`] : []),
      ...(c.coupon !== 0n ? [`${formatCredits(c.coupon)} from the code`] : []),
    ];
    text(`Credits: ${formatCredits(c.total)} credits${parts.length > 1 ? ` (${parts.join(" + ")})` : ""}`, { font: bold });
  }
  y -= 12;
  if (invoice.source === "stripe" && invoice.hostedUrl) text(`Stripe invoice: ${invoice.hostedUrl}`, { color: MUTED, size: 8 });
  text("Amounts in " + invoice.currency.toUpperCase() + ". Thank you for your business.", { color: MUTED, size: 8 });
  return pdf.save();
}

/** Greedy word wrap by measured width; a word wider than the line is cut. */
function wrap(s: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of s.split(/\s+/).filter(Boolean)) {
    let w = word;
    while (font.widthOfTextAtSize(w, size) > width) {
      let cut = w.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(w.slice(0, cut), size) > width) cut--;
      if (line) {
        out.push(line);
        line = "";
      }
      out.push(w.slice(0, cut));
      w = w.slice(cut);
    }
    const next = line ? `${line} ${w}` : w;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      out.push(line);
      line = w;
    } else line = next;
  }
  if (line || out.length === 0) out.push(line);
  return out;
}
