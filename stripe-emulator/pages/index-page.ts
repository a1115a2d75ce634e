// GET / — what this server is and where things are, for whoever opens it in a browser.
import type { Router } from "../router.js";
import type { CheckoutSession } from "../types.js";
import { esc, htmlReply, page, type PageHandler } from "./html.js";

export function registerIndexPage(r: Router<PageHandler>): void {
  r.get("/", ({ store }) => {
    const open = store.all<CheckoutSession>("checkout.session").filter((s) => s.status === "open" && s.url);
    const body = `<main aria-labelledby="index-title">
<p><span class="badge">Test mode</span></p>
<h1 id="index-title">Creditdesk Stripe emulator</h1>
<p>Point the <code>stripe</code> SDK here with <code>new Stripe('sk_test_…', { host, port, protocol: 'http' })</code>. Control API under <code>/_emulator/</code>; state at <a href="/_emulator/state">/_emulator/state</a>, events at <a href="/_emulator/events">/_emulator/events</a>.</p>
<h2>Open checkout sessions</h2>
${open.length ? `<ul>${open.map((s) => `<li><a href="${esc(s.url)}">${esc(s.id)}</a></li>`).join("")}</ul>` : '<p class="muted">None.</p>'}
</main>`;
    return htmlReply(page({ title: "Stripe emulator", body }));
  });
}
