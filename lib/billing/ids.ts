/**
 * The shape of an id Creditdesk makes (`cd_id()`: a prefix, an underscore, hex), loosely: what metadata coming back
 * from Stripe must look like before it is used to look anything up.
 */
export const OUR_ID = /^[A-Za-z0-9_]{1,64}$/;

/** Text made storable in PostgreSQL: NUL bytes and unpaired surrogates, which text and jsonb refuse, are replaced. */
export const storableText = (s: string, nul = "\uFFFD"): string => s.replace(/\u0000/g, nul).toWellFormed();
