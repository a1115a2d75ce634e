// Billing portal sessions (the page itself is pages/portal-page.ts) and the events API.
import { pathParam, type ApiRouter } from "../api.js";
import { invalid, missing } from "../errors.js";
import { matchesCreated, render, renderList } from "../expand.js";
import { obj, str, strArr, url } from "../params.js";
import { randomId } from "../store.js";
import type { Customer, PortalConfiguration, PortalSession, StripeEvent, Subscription } from "../types.js";
import { DEFAULT_CONFIGURATION_ID, portalRules } from "./portal-configurations.js";

const FLOW_TYPES = ["payment_method_update", "subscription_cancel", "subscription_update", "subscription_update_confirm"] as const;

export function registerPortal(r: ApiRouter): void {
  r.post("/v1/billing_portal/sessions", ({ store, params, expand }) => {
    if (!store.portalEnabled) {
      throw invalid(
        "You can’t create a portal session in test mode until you save your customer portal settings in test mode at https://dashboard.stripe.com/test/settings/billing/portal.",
      );
    }
    const customer = store.findParam<Customer>("customer", str(params, "customer", { required: true }) ?? "", "customer");
    const configId = str(params, "configuration");
    const config = configId ? store.findParam<PortalConfiguration>("billing_portal.configuration", configId, "configuration") : undefined;
    if (config && !config.active) throw invalid(`The configuration ${config.id} is not active.`, "configuration");
    const returnUrl = url(params, "return_url") ?? config?.default_return_url ?? null;
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
      const rules = portalRules(store, { configuration: config?.id ?? DEFAULT_CONFIGURATION_ID } as PortalSession);
      const enabled = {
        payment_method_update: rules.paymentMethodUpdate,
        subscription_cancel: rules.cancel.enabled,
        subscription_update: rules.update.enabled,
      };
      if (type in enabled && !enabled[type as keyof typeof enabled]) {
        throw invalid(`The ${type} flow can't be used because the ${type} feature is disabled in the portal configuration.`, "flow_data[type]");
      }
      if (type === "subscription_cancel" || type === "subscription_update") {
        const subId = str((type === "subscription_cancel" ? cancel : update) ?? {}, "subscription", { required: true, path: `flow_data[${type}]` }) ?? "";
        const sub = store.findParam<Subscription>("subscription", subId, `flow_data[${type}][subscription]`);
        if (sub.customer !== customer.id)
          throw invalid(`The subscription ${sub.id} does not belong to the customer ${customer.id}.`, `flow_data[${type}][subscription]`);
        if (sub.status === "canceled") throw invalid(`The subscription ${sub.id} has been canceled.`, `flow_data[${type}][subscription]`);
      }
      if (flow.after_completion && (flow.after_completion as { type: string }).type === "redirect" && !redirect?.return_url) {
        throw invalid(
          "Missing required param: flow_data[after_completion][redirect][return_url].",
          "flow_data[after_completion][redirect][return_url]",
          "parameter_missing",
        );
      }
    }
    const secret = randomId(32);
    const session: PortalSession = {
      ...store.base("billing_portal.session", "bps_"),
      object: "billing_portal.session",
      configuration: config?.id ?? DEFAULT_CONFIGURATION_ID,
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
