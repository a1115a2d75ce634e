import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

// Reads schema.prisma through Prisma's own schema parser (WebAssembly, works offline).
const require = createRequire(import.meta.url);

export type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  isUpdatedAt?: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  hasDefaultValue: boolean;
  default?: unknown;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
};
export type DmmfModel = {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
};
export type DmmfIndex = {
  model: string;
  type: "id" | "normal" | "unique" | "fulltext";
  isDefinedOnField: boolean;
  dbName?: string | null;
  fields: { name: string }[];
};
export type Dmmf = {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; values: { name: string }[]; dbName?: string | null }[];
    indexes: DmmfIndex[];
  };
};

export function readPrismaSchema(schemaPath = path.join(process.cwd(), "prisma/schema.prisma")): Dmmf {
  const wasm = require("@prisma/prisma-schema-wasm") as { get_dmmf: (params: string) => string };
  const prismaSchema = readFileSync(schemaPath, "utf8");
  return JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema }))) as Dmmf;
}

export const tableName = (m: DmmfModel) => m.dbName ?? m.name;
export const columnName = (f: DmmfField) => f.dbName ?? f.name;

/** The PostgreSQL type Prisma's migrate would give a scalar or enum field. */
export function sqlType(f: DmmfField): string {
  if (f.isList) return `${sqlType({ ...f, isList: false })}[]`;
  if (f.kind === "enum") return `"${f.type}"`;
  const native = f.nativeType?.[0];
  const args = f.nativeType?.[1] ?? [];
  if (native === "Timestamptz") return `TIMESTAMPTZ(${args[0] ?? 6})`;
  if (native === "Date") return "DATE";
  if (native) throw new Error(`native type @db.${native} is not mapped in lib/db/prisma-schema.ts`);
  switch (f.type) {
    case "String":
      return "TEXT";
    case "Int":
      return "INTEGER";
    case "BigInt":
      return "BIGINT";
    case "Boolean":
      return "BOOLEAN";
    case "DateTime":
      return "TIMESTAMP(3)";
    case "Json":
      return "JSONB";
    case "Float":
      return "DOUBLE PRECISION";
    case "Bytes":
      return "BYTEA";
    default:
      throw new Error(`type ${f.type} is not mapped in lib/db/prisma-schema.ts`);
  }
}

/** Prisma's default constraint and index names. */
export function indexName(m: DmmfModel, idx: DmmfIndex): string {
  if (idx.dbName) return idx.dbName;
  const cols = idx.fields.map((x) => columnName(m.fields.find((f) => f.name === x.name)!));
  if (idx.type === "id") return `${tableName(m)}_pkey`;
  return `${tableName(m)}_${cols.join("_")}_${idx.type === "unique" ? "key" : "idx"}`;
}
