// Products and prices, including lookup keys and the ad-hoc prices made from inline price_data.
import { pathParam, type ApiRouter } from "../api.js";
import { invalid } from "../errors.js";
import { matchesCreated, render, renderList } from "../expand.js";
import { isCurrency } from "../money.js";
import { bool, int, metadata, obj, oneOf, str, strArr, type Metadata, type Params } from "../params.js";
import { clone, type Store } from "../store.js";
import type { Price, Product, Recurring } from "../types.js";

export function createProduct(store: Store, input: { id?: string; name: string; description?: string | null; active?: boolean; metadata?: Metadata }): Product {
  if (input.id !== undefined && store.get(input.id)) throw invalid(`Product already exists.`, "id", "resource_already_exists");
  const base = store.base("product", "prod_", 14);
  const product: Product = {
    ...base,
    id: input.id ?? base.id,
    object: "product",
    active: input.active ?? true,
    default_price: null,
    description: input.description ?? null,
    images: [],
    marketing_features: [],
    metadata: input.metadata ?? {},
    name: input.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    type: "service",
    unit_label: null,
    updated: base.created,
    url: null,
  };
  store.add(product);
  store.emit("product.created", product);
  return product;
}

function readRecurring(p: Params, path: string): Recurring | null {
  const rec = obj(p, "recurring", { path });
  if (!rec) return null;
  const recPath = path ? `${path}[recurring]` : "recurring";
  const interval = oneOf(rec, "interval", ["day", "week", "month", "year"] as const, { required: true, path: recPath }) ?? "month";
  const count = int(rec, "interval_count", { min: 1, path: recPath }) ?? 1;
  const maxCount = { day: 365, week: 52, month: 12, year: 1 }[interval];
  if (count > maxCount) throw invalid(`The maximum billing period is one year.`, `${recPath}[interval_count]`);
  return { interval, interval_count: count, meter: null, trial_period_days: null, usage_type: "licensed" };
}

function readUnitAmount(p: Params, path: string): number {
  const name = (k: string): string => (path ? `${path}[${k}]` : k);
  const amount = int(p, "unit_amount", { min: 0, path });
  if (amount !== undefined) return amount;
  const decimal = str(p, "unit_amount_decimal", { path });
  if (decimal !== undefined) {
    if (!/^\d+$/.test(decimal)) throw invalid("The emulator supports only whole-number unit_amount_decimal values.", name("unit_amount_decimal"));
    return Number(decimal);
  }
  throw invalid(`Missing required param: ${name("unit_amount")}.`, name("unit_amount"), "parameter_missing");
}

function readCurrency(p: Params, path: string): string {
  const currency = str(p, "currency", { required: true, path })?.toLowerCase() ?? "";
  if (!isCurrency(currency))
    throw invalid(
      `Invalid currency: ${currency}. Stripe currently supports these currencies: usd, eur, gbp, krw, jpy, ...`,
      path ? `${path}[currency]` : "currency",
    );
  return currency;
}

export function newPrice(
  store: Store,
  input: {
    currency: string;
    unitAmount: number;
    product: string;
    recurring: Recurring | null;
    active?: boolean;
    lookupKey?: string | null;
    nickname?: string | null;
    metadata?: Metadata;
    taxBehavior?: string;
  },
): Price {
  const price: Price = {
    ...store.base("price", "price_"),
    object: "price",
    active: input.active ?? true,
    billing_scheme: "per_unit",
    currency: input.currency,
    custom_unit_amount: null,
    lookup_key: input.lookupKey ?? null,
    metadata: input.metadata ?? {},
    nickname: input.nickname ?? null,
    product: input.product,
    recurring: input.recurring,
    tax_behavior: input.taxBehavior ?? "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: input.recurring ? "recurring" : "one_time",
    unit_amount: input.unitAmount,
    unit_amount_decimal: String(input.unitAmount),
  };
  store.add(price);
  store.emit("price.created", price);
  return price;
}

/** `price_data` on Checkout or subscription items: Stripe makes an inactive one-off Price (and Product for product_data). */
export function createInlinePrice(store: Store, pd: Params, path: string, allowRecurring: boolean): Price {
  const currency = readCurrency(pd, path);
  const unitAmount = readUnitAmount(pd, path);
  const recurring = readRecurring(pd, path);
  if (recurring && !allowRecurring) throw invalid("Recurring prices are not allowed here.", `${path}[recurring]`);
  let productId = str(pd, "product", { path });
  if (productId) {
    store.findParam<Product>("product", productId, `${path}[product]`);
  } else {
    const productData = obj(pd, "product_data", { path });
    if (!productData) throw invalid(`Missing required param: ${path}[product_data].`, `${path}[product_data]`, "parameter_missing");
    const name = str(productData, "name", { required: true, path: `${path}[product_data]`, max: 250 }) ?? "";
    productId = createProduct(store, {
      name,
      description: str(productData, "description", { path: `${path}[product_data]` }) ?? null,
      metadata: metadata(productData, {}, "metadata", `${path}[product_data]`),
    }).id;
  }
  return newPrice(store, { currency, unitAmount, product: productId, recurring, active: false, taxBehavior: str(pd, "tax_behavior", { path }) });
}

function claimLookupKey(store: Store, key: string, transfer: boolean, self?: Price): void {
  const holder = store.all<Price>("price").find((p) => p.lookup_key === key && p.id !== self?.id);
  if (!holder) return;
  if (!transfer) {
    throw invalid(`A price (\`${holder.id}\`) already uses that lookup key.`, "lookup_key", "lookup_key_already_exists");
  }
  const before = clone(holder);
  holder.lookup_key = null;
  store.emitChange("price.updated", before, holder);
}

export function registerCatalog(r: ApiRouter): void {
  r.post("/v1/products", ({ store, params, expand }) => {
    const product = createProduct(store, {
      id: str(params, "id"),
      name: str(params, "name", { required: true, max: 250 }) ?? "",
      description: str(params, "description") ?? null,
      active: bool(params, "active"),
      metadata: metadata(params),
    });
    const dpd = obj(params, "default_price_data");
    if (dpd) {
      const price = newPrice(store, {
        currency: readCurrency(dpd, "default_price_data"),
        unitAmount: readUnitAmount(dpd, "default_price_data"),
        product: product.id,
        recurring: readRecurring(dpd, "default_price_data"),
      });
      product.default_price = price.id;
    }
    return render(store, product, expand);
  });

  r.get("/v1/products", ({ store, params, expand }) => {
    const active = bool(params, "active");
    const ids = strArr(params, "ids");
    const items = store
      .all<Product>("product")
      .filter((p) => (active === undefined || p.active === active) && (ids === undefined || ids.includes(p.id)) && matchesCreated(p.created, params));
    return renderList(store, items, params, "/v1/products", expand);
  });

  r.get("/v1/products/:id", (ctx) => render(ctx.store, ctx.store.find<Product>("product", pathParam(ctx, "id")), ctx.expand));

  r.post("/v1/products/:id", (ctx) => {
    const { store, params } = ctx;
    const product = store.find<Product>("product", pathParam(ctx, "id"));
    const before = clone(product);
    const name = str(params, "name", { max: 250 });
    if (name !== undefined) product.name = name;
    if (params.description !== undefined) product.description = str(params, "description") ?? null;
    const active = bool(params, "active");
    if (active !== undefined) product.active = active;
    product.metadata = metadata(params, product.metadata);
    const defaultPrice = str(params, "default_price");
    if (defaultPrice !== undefined) product.default_price = store.findParam<Price>("price", defaultPrice, "default_price").id;
    product.updated = store.now();
    store.emitChange("product.updated", before, product);
    return render(store, product, ctx.expand);
  });

  r.post("/v1/prices", ({ store, params, expand }) => {
    const currency = readCurrency(params, "");
    const unitAmount = readUnitAmount(params, "");
    const recurring = readRecurring(params, "");
    let productId = str(params, "product");
    if (productId) {
      store.findParam<Product>("product", productId, "product");
    } else {
      const pd = obj(params, "product_data");
      if (!pd) throw invalid("Missing required param: product.", "product", "parameter_missing");
      productId = createProduct(store, {
        name: str(pd, "name", { required: true, path: "product_data" }) ?? "",
        metadata: metadata(pd, {}, "metadata", "product_data"),
      }).id;
    }
    const lookupKey = str(params, "lookup_key", { max: 200 });
    if (lookupKey) claimLookupKey(store, lookupKey, bool(params, "transfer_lookup_key") ?? false);
    const price = newPrice(store, {
      currency,
      unitAmount,
      product: productId,
      recurring,
      active: bool(params, "active"),
      lookupKey: lookupKey ?? null,
      nickname: str(params, "nickname") ?? null,
      metadata: metadata(params),
      taxBehavior: str(params, "tax_behavior"),
    });
    return render(store, price, expand);
  });

  r.get("/v1/prices", ({ store, params, expand }) => {
    const active = bool(params, "active");
    const product = str(params, "product");
    const type = str(params, "type");
    const currency = str(params, "currency");
    const lookupKeys = strArr(params, "lookup_keys");
    const recurring = obj(params, "recurring");
    const interval = recurring ? str(recurring, "interval") : undefined;
    const items = store
      .all<Price>("price")
      .filter(
        (p) =>
          (active === undefined || p.active === active) &&
          (product === undefined || p.product === product) &&
          (type === undefined || p.type === type) &&
          (currency === undefined || p.currency === currency) &&
          (lookupKeys === undefined || (p.lookup_key !== null && lookupKeys.includes(p.lookup_key))) &&
          (interval === undefined || p.recurring?.interval === interval) &&
          matchesCreated(p.created, params),
      );
    return renderList(store, items, params, "/v1/prices", expand);
  });

  r.get("/v1/prices/:id", (ctx) => render(ctx.store, ctx.store.find<Price>("price", pathParam(ctx, "id")), ctx.expand));

  r.post("/v1/prices/:id", (ctx) => {
    const { store, params } = ctx;
    const price = store.find<Price>("price", pathParam(ctx, "id"));
    const before = clone(price);
    const active = bool(params, "active");
    if (active !== undefined) price.active = active;
    price.metadata = metadata(params, price.metadata);
    if (params.nickname !== undefined) price.nickname = str(params, "nickname") ?? null;
    if (params.lookup_key !== undefined) {
      const key = str(params, "lookup_key", { max: 200 });
      if (key) claimLookupKey(store, key, bool(params, "transfer_lookup_key") ?? false, price);
      price.lookup_key = key ?? null;
    }
    const taxBehavior = str(params, "tax_behavior");
    if (taxBehavior !== undefined) price.tax_behavior = taxBehavior;
    store.emitChange("price.updated", before, price);
    return render(store, price, ctx.expand);
  });
}
