// Shared shape of /v1 handlers.
import type { Params } from "./params.js";
import type { Router } from "./router.js";
import type { Store } from "./store.js";

export interface ApiContext {
  store: Store;
  params: Params;
  pathParams: Record<string, string>;
  expand: string[];
}

export type ApiHandler = (ctx: ApiContext) => unknown;

export type ApiRouter = Router<ApiHandler>;

export function pathParam(ctx: ApiContext, name: string): string {
  return ctx.pathParams[name] ?? "";
}
