import { searchCustomers } from "@/lib/billing/customers/search-customers";
import { route } from "@/lib/edge/route";
import { searchCustomersRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(searchCustomersRoute, { auth: "admin" }, async ({ db, query }) => ({ customers: await searchCustomers({ db, q: query.q ?? "" }) }));
