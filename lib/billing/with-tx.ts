import type { Db, Tx } from "../db/client";

/** Runs `fn` in a new transaction when given the client, or inside the caller's transaction when given one. */
export async function withTx<T>(db: Tx | Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if ("$transaction" in db && typeof db.$transaction === "function") return (db as Db).$transaction((tx) => fn(tx));
  return fn(db);
}

/** True for the root client (which may batch), false for a transaction handle. */
export function isRootClient(db: Tx | Db): db is Db {
  return "$transaction" in db && typeof (db as Db).$transaction === "function";
}
