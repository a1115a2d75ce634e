// Whether a contact address belongs to the company whose website the applicant gave: both must share one registrable
// domain ("acme.com" for www.acme.com and mail.acme.com). Look-alikes differ in that domain and are refused:
// acme.com.evil.io, acme-com.io, acrne.com, and homoglyph names (which URL parsing turns into distinct xn-- labels).
// Client-safe: no imports.

// Public suffixes of more than one label that applicants commonly use. Without the full Public Suffix List, a country
// code with a generic second label (com.vn, co.id, org.pl ...) is taken as a suffix too (GENERIC_SECOND_LEVEL): compared
// by its last two labels, anyone's evil.com.vn would share "com.vn" with vinamilk.com.vn. Shared hosting suffixes are
// refused outright.
const MULTI_LABEL_SUFFIXES = new Set(
  (
    "co.uk org.uk ac.uk gov.uk ltd.uk plc.uk me.uk com.au net.au org.au edu.au co.nz org.nz co.jp ne.jp or.jp co.kr or.kr com.cn " +
    "net.cn org.cn com.hk com.tw com.sg com.my co.in net.in org.in com.br net.br com.mx com.ar com.co co.za com.tr co.il com.ua"
  ).split(" "),
);
const GENERIC_SECOND_LEVEL = new Set("com co net org edu gov ac or ne go ltd plc gen biz info nom mil sch".split(" "));
// Where anyone can make a subdomain: a website here proves nothing about who owns an address.
const SHARED_HOSTS = new Set(
  (
    "github.io gitlab.io vercel.app netlify.app herokuapp.com pages.dev web.app firebaseapp.com blogspot.com wordpress.com wixsite.com " +
    "squarespace.com notion.site azurewebsites.net appspot.com " +
    // Registries that sell names under a .com or .net (evil.uk.com beside acme.uk.com).
    "uk.com us.com eu.com gb.net uk.net de.com za.com br.com cn.com ru.com sa.com jpn.com se.net"
  ).split(" "),
);
// Anyone can have an address here, so it never confirms a company.
const FREE_MAIL = new Set(
  [
    "gmail.com googlemail.com outlook.com hotmail.com live.com msn.com yahoo.com ymail.com icloud.com me.com mac.com",
    "proton.me protonmail.com pm.me aol.com gmx.com gmx.de gmx.net web.de yandex.com yandex.ru mail.ru zoho.com",
    "qq.com 163.com 126.com sina.com naver.com daum.net hanmail.net fastmail.com tutanota.com hey.com",
    "hotmail.co.uk hotmail.fr outlook.fr yahoo.co.uk yahoo.co.jp yahoo.fr live.co.uk orange.fr free.fr t-online.de",
  ]
    .join(" ")
    .split(" "),
);

/**
 * The host of an http(s) URL in ASCII (punycode) form, lower case, or null. Null too with credentials before the host:
 * "https://acme.com@evil.io" reads as acme.com to a reviewer but is evil.io.
 */
export function urlHost(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== "https:" && u.protocol !== "http:") return null;
    if (u.username !== "" || u.password !== "") return null;
    return u.hostname.toLowerCase().replace(/\.$/, "") || null;
  } catch {
    return null;
  }
}

/** The registrable domain of a host ("acme.co.uk" for www.acme.co.uk), or null for IPs, single labels and suffixes. */
export function registrableDomain(host: string): string | null {
  const h = host.toLowerCase().replace(/\.$/, "");
  if (!/^[a-z0-9.-]+$/.test(h) || /^[\d.]+$/.test(h) || h.includes("..")) return null;
  const labels = h.split(".");
  if (labels.length < 2 || labels.some((l) => l === "" || l.startsWith("-") || l.endsWith("-"))) return null;
  const two = labels.slice(-2).join(".");
  const countrySuffix = labels.at(-1)!.length === 2 && GENERIC_SECOND_LEVEL.has(labels.at(-2)!);
  if (MULTI_LABEL_SUFFIXES.has(two) || countrySuffix) return labels.length >= 3 ? labels.slice(-3).join(".") : null;
  return two;
}

/** Why an address does not confirm the company of `website`, or null when it does. */
export function companyEmailProblem(email: string, website: string): string | null {
  const webHost = urlHost(website);
  const site = webHost ? registrableDomain(webHost) : null;
  if (!site) return "Enter the company website first, like https://acme.com";
  if (SHARED_HOSTS.has(site)) return "A website on a shared host cannot confirm a company; give the company's own domain";
  const at = email.lastIndexOf("@");
  const mailHost = at > 0 ? urlHost(`http://${email.slice(at + 1)}`) : null;
  const mail = mailHost ? registrableDomain(mailHost) : null;
  if (!mail) return "Enter a valid email address";
  if (FREE_MAIL.has(mail)) return `Use an address on ${site}, not a personal mailbox`;
  if (mail !== site) return `The address must be on the website's domain, ${site}`;
  return null;
}
