import { createHash, randomBytes } from "node:crypto";

export const API_KEY_PREFIX = "cdk_live_";
export const TEST_API_KEY_PREFIX = "cdk_test_";
const SHAPE = /^cdk_(live|test)_[A-Za-z0-9_-]{43}$/;

/** A new secret: "cdk_live_" (or "cdk_test_" for a test key) + 32 random bytes in base64url. Shown once; only its hash is stored. */
export function newApiKeySecret({ test = false }: { test?: boolean } = {}): { secret: string; hashedKey: string; prefix: string } {
  const secret = `${test ? TEST_API_KEY_PREFIX : API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { secret, hashedKey: hashApiKey(secret), prefix: secret.slice(0, 12) };
}

/** sha256 hex of the whole secret (the key has 256 random bits, so a fast hash is enough). */
export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function looksLikeApiKey(secret: string): boolean {
  return SHAPE.test(secret);
}
