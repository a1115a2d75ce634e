import pg from "pg";
import { columnName, type Dmmf, indexName, readPrismaSchema, sqlType, tableName } from "./prisma-schema";

// Compares a live database with schema.prisma: tables, columns (type, nullability, default present),
// enums, primary keys, unique and plain indexes, and foreign keys. Returns human-readable differences.

const pgType = (sql: string): string =>
  sql.endsWith("[]")
    ? `${pgType(sql.slice(0, -2))}[]`
    : sql
        .replace(/^TEXT$/, "text")
        .replace(/^INTEGER$/, "integer")
        .replace(/^BIGINT$/, "bigint")
        .replace(/^BOOLEAN$/, "boolean")
        .replace(/^JSONB$/, "jsonb")
        .replace(/^BYTEA$/, "bytea")
        .replace(/^DATE$/, "date")
        .replace(/^DOUBLE PRECISION$/, "double precision")
        .replace(/^TIMESTAMPTZ\((\d)\)$/, "timestamp($1) with time zone")
        .replace(/^TIMESTAMP\((\d)\)$/, "timestamp($1) without time zone");

type Shape = {
  columns: Map<string, string>; // "table.column" -> "type null|not null default?"
  enums: Map<string, string>;
  indexes: Set<string>; // "table pkey|unique|index (cols)"
  foreignKeys: Set<string>;
};

export function expectedShape(dmmf: Dmmf = readPrismaSchema()): Shape {
  const { models, enums, indexes } = dmmf.datamodel;
  const shape: Shape = { columns: new Map(), enums: new Map(), indexes: new Set(), foreignKeys: new Set() };
  for (const e of enums) shape.enums.set(e.dbName ?? e.name, e.values.map((v) => v.name).join(","));
  const byName = new Map(models.map((m) => [m.name, m]));
  for (const m of models) {
    for (const f of m.fields) {
      if (f.kind !== "scalar" && f.kind !== "enum") continue;
      const hasDefault = f.hasDefaultValue;
      shape.columns.set(
        `${tableName(m)}.${columnName(f)}`,
        `${pgType(sqlType(f)).replace(/^"(.*)"$/, '"$1"')} ${f.isRequired && !f.isList ? "not null" : "null"}${hasDefault ? " default" : ""}`,
      );
    }
    for (const idx of indexes.filter((i) => i.model === m.name)) {
      const cols = idx.fields.map((x) => columnName(m.fields.find((f) => f.name === x.name)!));
      const kind = idx.type === "id" ? "pkey" : idx.type === "unique" ? "unique" : "index";
      shape.indexes.add(`${tableName(m)} ${kind} ${indexName(m, idx)} (${cols.join(",")})`);
    }
    for (const f of m.fields.filter((x) => x.kind === "object" && x.relationFromFields?.length)) {
      const target = byName.get(f.type)!;
      const from = f.relationFromFields!.map((n) => columnName(m.fields.find((x) => x.name === n)!));
      const to = f.relationToFields!.map((n) => columnName(target.fields.find((x) => x.name === n)!));
      const onDelete = (f.relationOnDelete ?? (f.isRequired ? "Restrict" : "SetNull")).toLowerCase();
      shape.foreignKeys.add(`${tableName(m)}(${from.join(",")}) -> ${tableName(target)}(${to.join(",")}) on delete ${onDelete}`);
    }
  }
  return shape;
}

export async function actualShape(databaseUrl: string): Promise<Shape> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const shape: Shape = { columns: new Map(), enums: new Map(), indexes: new Set(), foreignKeys: new Set() };
    const cols = await client.query<{ t: string; c: string; type: string; notnull: boolean; hasdef: boolean }>(`
      SELECT cl.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull, a.atthasdef AS hasdef
      FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
      WHERE n.nspname = 'public' AND cl.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND cl.relname <> '_prisma_migrations'`);
    for (const r of cols.rows) shape.columns.set(`${r.t}.${r.c}`, `${r.type} ${r.notnull ? "not null" : "null"}${r.hasdef ? " default" : ""}`);
    const enums = await client.query<{ name: string; vals: string }>(`
      SELECT t.typname AS name, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS vals
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname`);
    for (const r of enums.rows) shape.enums.set(r.name, r.vals);
    const idx = await client.query<{ t: string; name: string; primary: boolean; unique: boolean; cols: string; partial: boolean }>(`
      SELECT ct.relname AS t, ci.relname AS name, i.indisprimary AS primary, i.indisunique AS unique, i.indpred IS NOT NULL OR i.indexprs IS NOT NULL AS partial,
             (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = ct.oid AND a.attnum = k.attnum) AS cols
      FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid JOIN pg_class ct ON ct.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = ct.relnamespace
      WHERE n.nspname = 'public' AND ct.relname <> '_prisma_migrations'`);
    // Partial and expression indexes (lower(email)) are extra SQL-only tuning that Prisma cannot express; they are allowed.
    for (const r of idx.rows.filter((x) => !x.partial)) {
      shape.indexes.add(`${r.t} ${r.primary ? "pkey" : r.unique ? "unique" : "index"} ${r.name} (${r.cols})`);
    }
    const fks = await client.query<{ t: string; cols: string; rt: string; rcols: string; del: string }>(`
      SELECT c.conrelid::regclass::text AS t, c.confrelid::regclass::text AS rt, c.confdeltype AS del,
        (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS cols,
        (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS rcols
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'`);
    const del: Record<string, string> = { a: "noaction", r: "restrict", c: "cascade", n: "setnull", d: "setdefault" };
    for (const r of fks.rows) shape.foreignKeys.add(`${r.t.replace(/"/g, "")}(${r.cols}) -> ${r.rt.replace(/"/g, "")}(${r.rcols}) on delete ${del[r.del]}`);
    return shape;
  } finally {
    await client.end();
  }
}

export function diffShapes(expected: Shape, actual: Shape): string[] {
  const out: string[] = [];
  const mapDiff = (what: string, a: Map<string, string>, b: Map<string, string>) => {
    for (const [k, v] of a) {
      if (!b.has(k)) out.push(`${what} ${k} is in schema.prisma but not in the database (${v})`);
      else if (b.get(k) !== v) out.push(`${what} ${k}: schema.prisma says "${v}", database has "${b.get(k)}"`);
    }
    for (const [k, v] of b) if (!a.has(k)) out.push(`${what} ${k} is in the database (${v}) but not in schema.prisma`);
  };
  const setDiff = (what: string, a: Set<string>, b: Set<string>) => {
    for (const k of a) if (!b.has(k)) out.push(`${what} missing from the database: ${k}`);
    for (const k of b) if (!a.has(k)) out.push(`${what} in the database but not in schema.prisma: ${k}`);
  };
  mapDiff("column", expected.columns, actual.columns);
  mapDiff("enum", expected.enums, actual.enums);
  setDiff("index", expected.indexes, actual.indexes);
  setDiff("foreign key", expected.foreignKeys, actual.foreignKeys);
  return out;
}
