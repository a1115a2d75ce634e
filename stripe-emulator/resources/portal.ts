// Billing portal sessions (the page itself is pages/portal-page.ts) and the events API.
import { pathParam, type ApiRouter } from "../api.js";
import { invalid, missing } from "../errors.js";
import { matchesCreated, render, renderList } from "../expand.js";
import { obj, str, strArr, url } from "../params.js";
import { randomId } from "../store.js";
import type { Customer, PortalSession, StripeEvent } from "../types.js";

const FLOW_TYPES = ["payment_method_update", "subscription_cancel", "subscription_update", "subscription_update_confirm"] as const;

export function registerPortal(r: ApiRouter): void {
  r.post("/v1/billing_portal/sessions", ({ store, params, expand }) => {
    if (!store.portalEnabled) {
      throw invalid(
        "You can’t create a portal session in test mode until you save your customer portal settings in test mode at https://dashboard.stripe.com/test/settings/billing/portal.",
      );
    }
    const customer = store.findParam<Customer>("customer", str(params, "customer", { required: true }) ?? "", "customer");
    const returnUrl = url(params, "return_url") ?? null;
    const flowData = obj(params, "flow_data");
    let flow: Record<string, unknown> | null = null;
    if (flowData) {
      const type = str(flowData, "type", { required: true, path: "flow_data" }) ?? "";
      if (!(FLOW_TYPES as readonly string[]).includes(type))
        throw invalid(`Invalid flow_data[type]: must be one of ${FLOW_TYPES.join(", ")}`, "flow_data[type]");
      const after = obj(flowData, "after_completion", { path: "flow_data" }) ?? {};
      const redirect = obj(after, "redirect", { path: "flow_data[after_completion]" });
      const cancel = obj(flowData, "subscription_cancel", { path: "flow_data" });
      const update = obj(flowData, "subscription_update", { path: "flow_data" });
      flow = {
        after_completion: {
          hosted_confirmation: null,
          redirect: redirect ? { return_url: str(redirect, "return_url") ?? null } : null,
          type: str(after, "type") ?? "portal_homepage",
        },
        subscription_cancel: cancel ? { retention: null, subscription: str(cancel, "subscription") ?? null } : null,
        subscription_update: update ? { subscription: str(update, "subscription") ?? null } : null,
        subscription_update_confirm: null,
        type,
      };
    }
    const secret = randomId(32);
    const session: PortalSession = {
      ...store.base("billing_portal.session", "bps_"),
      object: "billing_portal.session",
      configuration: str(params, "configuration") ?? "bpc_emulator_default",
      customer: customer.id,
      customer_account: null,
      flow,
      locale: str(params, "locale") ?? null,
      on_behalf_of: null,
      return_url: returnUrl,
      url: store.url(`/p/session/${secret}`),
    };
    store.add(session);
    store.portalBySecret.set(secret, session.id);
    return render(store, session, expand);
  });

  r.get("/v1/events", ({ store, params, expand }) => {
    const type = str(params, "type");
    const types = strArr(params, "types");
    const typeMatch = (t: string): boolean => {
      if (types) return types.includes(t);
      if (!type) return true;
      if (type.endsWith("*")) return t.startsWith(type.slice(0, -1));
      return t === type;
    };
    const events = store.events
      .map((rec) => rec.event)
      .filter((e) => typeMatch(e.type) && matchesCreated(e.created, params))
      .reverse();
    return renderList(store, events, params, "/v1/events", expand);
  });

  r.get("/v1/events/:id", (ctx) => {
    const id = pathParam(ctx, "id");
    const rec = ctx.store.eventById.get(id);
    if (!rec) throw missing("event", id);
    return render<StripeEvent>(ctx.store, rec.event, ctx.expand);
  });
}
