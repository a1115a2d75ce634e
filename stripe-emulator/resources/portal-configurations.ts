// Billing portal configurations: which features a portal session offers (payment method, cancel, plan switch, invoices).
import { pathParam, type ApiRouter } from "../api.js";
import { invalid } from "../errors.js";
import { render, renderList } from "../expand.js";
import { bool, metadata, obj, objArr, oneOf, str, strArr, url, type Params } from "../params.js";
import { clone, type Store } from "../store.js";
import type { PortalConfiguration, PortalProductConfig, PortalSession, Price, Product } from "../types.js";

/** The configuration sessions get when none is named: everything on, steered by the `_emulator/portal` settings. */
export const DEFAULT_CONFIGURATION_ID = "bpc_emulator_default";

const UPDATES = ["price", "quantity", "promotion_code"] as const;
const CUSTOMER_UPDATES = ["address", "email", "name", "phone", "shipping", "tax_id"] as const;
const PRORATIONS = ["create_prorations", "always_invoice", "none"] as const;
const CANCEL_REASONS = ["customer_service", "low_quality", "missing_features", "other", "switched_service", "too_complex", "too_expensive", "unused"] as const;

/** What a portal session lets the customer do; `prices: null` means any active recurring price in the subscription's currency. */
export interface PortalRules {
  paymentMethodUpdate: boolean;
  invoiceHistory: boolean;
  cancel: { enabled: boolean; mode: "at_period_end" | "immediately" };
  update: { enabled: boolean; prorationBehavior: "create_prorations" | "always_invoice" | "none"; prices: Set<string> | null };
}

export function portalRules(store: Store, session: PortalSession): PortalRules {
  const config = session.configuration === DEFAULT_CONFIGURATION_ID ? undefined : (store.get(session.configuration) as PortalConfiguration | undefined);
  if (!config) {
    return {
      paymentMethodUpdate: true,
      invoiceHistory: true,
      cancel: { enabled: true, mode: store.portalCancelMode },
      update: { enabled: true, prorationBehavior: store.portalProrationBehavior, prices: null },
    };
  }
  const f = config.features;
  return {
    paymentMethodUpdate: f.payment_method_update.enabled,
    invoiceHistory: f.invoice_history.enabled,
    cancel: { enabled: f.subscription_cancel.enabled, mode: f.subscription_cancel.mode },
    update: {
      enabled: f.subscription_update.enabled && f.subscription_update.default_allowed_updates.includes("price"),
      prorationBehavior: f.subscription_update.proration_behavior,
      prices: new Set(f.subscription_update.products.flatMap((p) => p.prices)),
    },
  };
}

function emptyFeatures(): PortalConfiguration["features"] {
  return {
    customer_update: { allowed_updates: [], enabled: false },
    invoice_history: { enabled: false },
    payment_method_update: { enabled: false, payment_method_configuration: null },
    subscription_cancel: {
      cancellation_reason: { enabled: false, options: [] },
      enabled: false,
      mode: "at_period_end",
      proration_behavior: "none",
    },
    subscription_update: {
      default_allowed_updates: [],
      enabled: false,
      products: [],
      proration_behavior: "none",
      schedule_at_period_end: { conditions: [] },
      trial_update_behavior: "end_trial",
      billing_cycle_anchor: null,
    },
  };
}

function readProducts(store: Store, p: Params, path: string): PortalProductConfig[] | undefined {
  const products = objArr(p, "products", { path });
  if (!products) return undefined;
  return products.map((entry, i) => {
    const at = `${path}[products][${i}]`;
    const product = store.findParam<Product>("product", str(entry, "product", { required: true, path: at }) ?? "", `${at}[product]`);
    const prices = strArr(entry, "prices", { required: true, path: at }) ?? [];
    for (const [j, id] of prices.entries()) {
      const price = store.findParam<Price>("price", id, `${at}[prices][${j}]`);
      if (price.product !== product.id) throw invalid(`The price ${id} does not belong to the product ${product.id}.`, `${at}[prices][${j}]`);
      if (!price.recurring) throw invalid(`The price ${id} is not a recurring price.`, `${at}[prices][${j}]`);
    }
    return { adjustable_quantity: { enabled: false, maximum: null, minimum: 1 }, prices, product: product.id };
  });
}

/** Applies `features[...]` params onto (a copy of) the current features, validating what Stripe validates. */
function readFeatures(store: Store, params: Params, current: PortalConfiguration["features"]): PortalConfiguration["features"] {
  const f = clone(current);
  const features = obj(params, "features");
  if (!features) return f;
  const cu = obj(features, "customer_update", { path: "features" });
  if (cu) {
    const path = "features[customer_update]";
    f.customer_update.enabled = bool(cu, "enabled", { path }) ?? f.customer_update.enabled;
    const allowed = strArr(cu, "allowed_updates", { path });
    if (allowed) {
      for (const [i, a] of allowed.entries())
        if (!(CUSTOMER_UPDATES as readonly string[]).includes(a)) throw invalid(`Invalid allowed_updates: ${a}`, `${path}[allowed_updates][${i}]`);
      f.customer_update.allowed_updates = allowed;
    }
  }
  const ih = obj(features, "invoice_history", { path: "features" });
  if (ih) f.invoice_history.enabled = bool(ih, "enabled", { path: "features[invoice_history]" }) ?? f.invoice_history.enabled;
  const pmu = obj(features, "payment_method_update", { path: "features" });
  if (pmu) f.payment_method_update.enabled = bool(pmu, "enabled", { path: "features[payment_method_update]" }) ?? f.payment_method_update.enabled;
  const sc = obj(features, "subscription_cancel", { path: "features" });
  if (sc) {
    const path = "features[subscription_cancel]";
    f.subscription_cancel.enabled = bool(sc, "enabled", { path }) ?? f.subscription_cancel.enabled;
    f.subscription_cancel.mode = oneOf(sc, "mode", ["at_period_end", "immediately"] as const, { path }) ?? f.subscription_cancel.mode;
    f.subscription_cancel.proration_behavior = oneOf(sc, "proration_behavior", PRORATIONS, { path }) ?? f.subscription_cancel.proration_behavior;
    const reason = obj(sc, "cancellation_reason", { path });
    if (reason) {
      const rpath = `${path}[cancellation_reason]`;
      f.subscription_cancel.cancellation_reason.enabled = bool(reason, "enabled", { path: rpath }) ?? f.subscription_cancel.cancellation_reason.enabled;
      const options = strArr(reason, "options", { path: rpath });
      if (options) {
        for (const [i, o] of options.entries())
          if (!(CANCEL_REASONS as readonly string[]).includes(o)) throw invalid(`Invalid options: ${o}`, `${rpath}[options][${i}]`);
        f.subscription_cancel.cancellation_reason.options = options;
      }
    }
  }
  const su = obj(features, "subscription_update", { path: "features" });
  if (su) {
    const path = "features[subscription_update]";
    const s = f.subscription_update;
    s.enabled = bool(su, "enabled", { path }) ?? s.enabled;
    const allowed = strArr(su, "default_allowed_updates", { path });
    if (allowed) {
      for (const [i, a] of allowed.entries())
        if (!(UPDATES as readonly string[]).includes(a)) throw invalid(`Invalid default_allowed_updates: ${a}`, `${path}[default_allowed_updates][${i}]`);
      s.default_allowed_updates = allowed;
    }
    s.products = readProducts(store, su, path) ?? s.products;
    s.proration_behavior = oneOf(su, "proration_behavior", PRORATIONS, { path }) ?? s.proration_behavior;
    const anchor = oneOf(su, "billing_cycle_anchor", ["now", "unchanged"] as const, { path });
    if (anchor) s.billing_cycle_anchor = anchor;
  }
  const s = f.subscription_update;
  if (s.enabled && s.default_allowed_updates.length === 0) {
    throw invalid(
      "You must specify at least one default_allowed_updates when subscription_update is enabled.",
      "features[subscription_update][default_allowed_updates]",
    );
  }
  if (s.enabled && s.default_allowed_updates.includes("price") && s.products.length === 0) {
    throw invalid("You must specify products when price updates are allowed.", "features[subscription_update][products]");
  }
  return f;
}

function readBusinessProfile(params: Params, current: PortalConfiguration["business_profile"]): PortalConfiguration["business_profile"] {
  const bp = obj(params, "business_profile");
  if (!bp) return current;
  return {
    headline: bp.headline !== undefined ? (str(bp, "headline", { path: "business_profile", max: 60 }) ?? null) : current.headline,
    privacy_policy_url:
      bp.privacy_policy_url !== undefined ? (url(bp, "privacy_policy_url", { path: "business_profile" }) ?? null) : current.privacy_policy_url,
    terms_of_service_url:
      bp.terms_of_service_url !== undefined ? (url(bp, "terms_of_service_url", { path: "business_profile" }) ?? null) : current.terms_of_service_url,
  };
}

export function registerPortalConfigurations(r: ApiRouter): void {
  r.post("/v1/billing_portal/configurations", ({ store, params, expand }) => {
    obj(params, "features", { required: true });
    const base = store.base("billing_portal.configuration", "bpc_");
    const config: PortalConfiguration = {
      ...base,
      object: "billing_portal.configuration",
      active: true,
      application: null,
      business_profile: readBusinessProfile(params, { headline: null, privacy_policy_url: null, terms_of_service_url: null }),
      default_return_url: url(params, "default_return_url") ?? null,
      features: readFeatures(store, params, emptyFeatures()),
      is_default: false,
      login_page: { enabled: bool(obj(params, "login_page") ?? {}, "enabled", { path: "login_page" }) ?? false, url: null },
      metadata: metadata(params),
      name: str(params, "name", { max: 256 }) ?? null,
      updated: base.created,
    };
    if (config.login_page.enabled) config.login_page.url = store.url(`/p/login/${config.id}`);
    store.add(config);
    store.emit("billing_portal.configuration.created", config);
    return render(store, config, expand);
  });

  r.get("/v1/billing_portal/configurations", ({ store, params, expand }) => {
    const active = bool(params, "active");
    const isDefault = bool(params, "is_default");
    const items = store
      .all<PortalConfiguration>("billing_portal.configuration")
      .filter((c) => (active === undefined || c.active === active) && (isDefault === undefined || c.is_default === isDefault));
    return renderList(store, items, params, "/v1/billing_portal/configurations", expand);
  });

  r.get("/v1/billing_portal/configurations/:id", (ctx) =>
    render(ctx.store, ctx.store.find<PortalConfiguration>("billing_portal.configuration", pathParam(ctx, "id")), ctx.expand),
  );

  r.post("/v1/billing_portal/configurations/:id", (ctx) => {
    const { store, params } = ctx;
    const config = store.find<PortalConfiguration>("billing_portal.configuration", pathParam(ctx, "id"));
    const before = clone(config);
    const features = readFeatures(store, params, config.features);
    const businessProfile = readBusinessProfile(params, config.business_profile);
    const active = bool(params, "active");
    if (active === false && config.is_default) throw invalid("You can't deactivate the default configuration.", "active");
    config.features = features;
    config.business_profile = businessProfile;
    if (active !== undefined) config.active = active;
    if (params.default_return_url !== undefined) config.default_return_url = url(params, "default_return_url") ?? null;
    if (params.name !== undefined) config.name = str(params, "name", { max: 256 }) ?? null;
    if (params.metadata !== undefined) config.metadata = metadata(params, config.metadata);
    config.updated = store.now();
    store.emitChange("billing_portal.configuration.updated", before, config);
    return render(store, config, ctx.expand);
  });
}
