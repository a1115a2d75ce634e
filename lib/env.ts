import { z } from "zod";

// Environment, validated once; a bad value stops start-up with a message naming the variable.
const flag = z
  .enum(["1", "0", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const postgresUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === "postgres:" || u.protocol === "postgresql:") && u.hostname !== "" && u.pathname.length > 1;
  } catch {
    return false;
  }
}, "must be a URL like postgresql://user:password@host:5432/database");

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: postgresUrl.optional(),
    CREDITDESK_DEMO: flag,
    APP_URL: z.url().default("http://localhost:3000"),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)").optional(),
    AUTH_GOOGLE_ID: z.string().optional(),
    AUTH_GOOGLE_SECRET: z.string().optional(),
    AUTH_GITHUB_ID: z.string().optional(),
    AUTH_GITHUB_SECRET: z.string().optional(),
    // Enterprise sign-in (any standard OpenID Connect issuer: AWS IAM Identity Center, Cognito, ...). People who first
    // sign in through it wait for a platform admin's approval.
    ENTERPRISE_OIDC_ISSUER: z.url().optional(),
    ENTERPRISE_OIDC_CLIENT_ID: z.string().optional(),
    ENTERPRISE_OIDC_CLIENT_SECRET: z.string().optional(),
    ENTERPRISE_OIDC_NAME: z.string().max(60).default("Enterprise sign-in"),
    EMAIL_SERVER: z.string().optional(),
    EMAIL_FROM: z.string().default("Creditdesk <billing@localhost>"),
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_/, "must be a Stripe secret key (sk_test_… or sk_live_…)")
      .optional(),
    STRIPE_PUBLISHABLE_KEY: z
      .string()
      .regex(/^pk_(test|live)_/, "must be a Stripe publishable key")
      .optional(),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_/, "must start with whsec_")
      .optional(),
    // Points the SDK at the project's Stripe emulator; test keys only.
    STRIPE_API_BASE: z.url().optional(),
  })
  .superRefine((env, ctx) => {
    const live = env.STRIPE_SECRET_KEY?.includes("_live_") || env.STRIPE_PUBLISHABLE_KEY?.startsWith("pk_live_");
    if (env.CREDITDESK_DEMO && live) {
      ctx.addIssue({
        code: "custom",
        path: ["CREDITDESK_DEMO"],
        message: "demo mode refuses to start with live Stripe keys; unset CREDITDESK_DEMO or the live keys",
      });
    }
    if (env.STRIPE_API_BASE && live) {
      ctx.addIssue({ code: "custom", path: ["STRIPE_API_BASE"], message: "the Stripe emulator cannot be used with live keys" });
    }
    const oidc = [env.ENTERPRISE_OIDC_ISSUER, env.ENTERPRISE_OIDC_CLIENT_ID, env.ENTERPRISE_OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      const missing = (["ENTERPRISE_OIDC_ISSUER", "ENTERPRISE_OIDC_CLIENT_ID", "ENTERPRISE_OIDC_CLIENT_SECRET"] as const).find((k) => !env[k])!;
      ctx.addIssue({ code: "custom", path: [missing], message: "enterprise sign-in needs the issuer, client id and client secret together" });
    }
    if (env.NODE_ENV === "production" && !env.CREDITDESK_DEMO && !env.AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required outside demo mode" });
    }
  });

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty variable means unset, as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const r = envSchema.safeParse(cleaned);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join(".") || "environment"}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return r.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
