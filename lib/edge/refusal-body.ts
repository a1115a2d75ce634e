import type { ErrorRecord } from "./error-record";

/**
 * A refusal's JSON body: `{ error }`, or in the seed's envelope `{ code, message, data: null, error }` for the
 * WaveSpeed-shaped /api/v3 routes. One shape for the route pipeline (lib/edge/route.ts) and the proxy (proxy.ts).
 */
export function refusalBody(status: number, error: ErrorRecord, envelope?: "seed"): object {
  return envelope === "seed" ? { code: status, message: error.message, data: null, error } : { error };
}
