// A real SMTP server for the e2e run: the app sends sign-in links and alerts here; tests read them from files.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";

const port = Number(process.env.SMTP_PORT);
const dir = path.resolve(process.env.MAIL_DIR ?? ".data/e2e-mail");
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
let n = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  onData(stream, session, cb) {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      const to = session.envelope.rcptTo.map((r) => r.address).join(",");
      writeFileSync(path.join(dir, `${String(++n).padStart(4, "0")}.eml`), `X-Envelope-To: ${to}\r\n${Buffer.concat(chunks).toString("utf8")}`);
      cb();
    });
  },
});
server.listen(port, "127.0.0.1", () => console.log(`smtp catcher on ${port}, mail in ${dir}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
