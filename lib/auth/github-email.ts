// GitHub lists a person's addresses each with a `verified` flag, and the primary one may be unverified (added and never
// confirmed, or bounced). Auth.js' GitHub provider takes the primary (or the first) without asking, but Creditdesk
// treats users.email as proven: a team invitation is accepted by its address. So a GitHub account brings an address
// GitHub verified, or none.

type GitHubEmail = { email?: unknown; primary?: unknown; verified?: unknown };

/** The address to keep: the public one when GitHub lists it as verified, else the verified primary, else null. */
export function verifiedGitHubEmail(publicEmail: unknown, emails: unknown): string | null {
  const verified = (Array.isArray(emails) ? (emails as GitHubEmail[]) : []).filter(
    (e): e is { email: string; primary?: unknown; verified: true } => typeof e === "object" && e !== null && e.verified === true && typeof e.email === "string",
  );
  if (typeof publicEmail === "string" && verified.some((e) => e.email === publicEmail)) return publicEmail;
  return verified.find((e) => e.primary === true)?.email ?? null;
}

/** Auth.js' GitHub userinfo request (GET /user, then /user/emails), keeping only a verified address. */
export async function githubUserinfo({ tokens, provider }: { tokens: { access_token?: string }; provider: { userinfo?: { url?: URL | string } } }) {
  const url = String(provider.userinfo?.url ?? "https://api.github.com/user").replace(/\/+$/, "");
  const headers = { Authorization: `Bearer ${tokens.access_token}`, "User-Agent": "creditdesk" };
  const profile = (await (await fetch(url, { headers })).json()) as Record<string, unknown>;
  const res = await fetch(`${url}/emails`, { headers });
  const emails: unknown = res.ok ? await res.json() : [];
  return { ...profile, email: verifiedGitHubEmail(profile.email, emails) };
}
