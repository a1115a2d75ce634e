import { inflateSync } from "node:zlib";
import { PDFArray, PDFDocument, PDFRawStream } from "pdf-lib";

// WinAnsiEncoding (the standard fonts' encoding) differs from Latin-1 only in 0x80-0x9F.
const WIN_ANSI_80 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";
const winAnsi = (bytes: Buffer) => Array.from(bytes, (b) => (b >= 0x80 && b <= 0x9f ? WIN_ANSI_80[b - 0x80]! : String.fromCharCode(b))).join("");

/** The text a PDF drawn by pdf-lib shows (hex-encoded Tj strings in its content streams), one string per line drawn. */
export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const pdf = await PDFDocument.load(bytes);
  const out: string[] = [];
  for (const page of pdf.getPages()) {
    const contents = page.node.Contents();
    const parts = contents instanceof PDFArray ? contents.asArray().map((r) => pdf.context.lookup(r)) : [contents];
    for (const s of parts) {
      if (!(s instanceof PDFRawStream)) continue;
      const raw = Buffer.from(s.getContents());
      const text = (s.dict.toString().includes("FlateDecode") ? inflateSync(raw) : raw).toString("latin1");
      for (const m of text.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) out.push(winAnsi(Buffer.from(m[1]!, "hex")));
    }
  }
  return out;
}
