// Authoring aid: prints CREATE SQL for every model in schema.prisma, in Prisma migrate's naming.
// Copy what a new migration needs; the drift test checks the result against the schema.
import { columnName, indexName, readPrismaSchema, sqlType, tableName } from "../lib/db/prisma-schema";

const { datamodel } = readPrismaSchema();
const out: string[] = [];
for (const e of datamodel.enums) {
  out.push(`CREATE TYPE "${e.name}" AS ENUM (${e.values.map((v) => `'${v.name}'`).join(", ")});\n`);
}
const byName = new Map(datamodel.models.map((m) => [m.name, m]));
function defaultSql(d: unknown): string | null {
  if (d === undefined || d === null) return null;
  if (typeof d === "object" && d && "name" in d) {
    const fn = d as { name: string; args: unknown[] };
    if (fn.name === "now") return "CURRENT_TIMESTAMP";
    if (fn.name === "dbgenerated") return String(fn.args[0]);
    throw new Error(`default ${fn.name}() is not mapped`);
  }
  if (typeof d === "string") return `'${d.replace(/'/g, "''")}'`;
  return String(d);
}
for (const m of datamodel.models) {
  const cols = m.fields
    .filter((f) => f.kind === "scalar" || f.kind === "enum")
    .map((f) => {
      const def = f.hasDefaultValue ? defaultSql(f.default) : null;
      return `    "${columnName(f)}" ${sqlType(f)}${f.isRequired ? " NOT NULL" : ""}${def ? ` DEFAULT ${def}` : ""}`;
    });
  const pk = datamodel.indexes.find((i) => i.model === m.name && i.type === "id")!;
  const pkCols = pk.fields.map((x) => `"${columnName(m.fields.find((f) => f.name === x.name)!)}"`);
  cols.push(`\n    CONSTRAINT "${indexName(m, pk)}" PRIMARY KEY (${pkCols.join(",")})`);
  out.push(`CREATE TABLE "${tableName(m)}" (\n${cols.join(",\n")}\n);\n`);
}
for (const m of datamodel.models) {
  for (const idx of datamodel.indexes.filter((i) => i.model === m.name && i.type !== "id")) {
    const cols = idx.fields.map((x) => `"${columnName(m.fields.find((f) => f.name === x.name)!)}"`);
    out.push(`CREATE ${idx.type === "unique" ? "UNIQUE " : ""}INDEX "${indexName(m, idx)}" ON "${tableName(m)}"(${cols.join(", ")});\n`);
  }
}
for (const m of datamodel.models) {
  for (const f of m.fields.filter((x) => x.kind === "object" && x.relationFromFields?.length)) {
    const target = byName.get(f.type)!;
    const from = f.relationFromFields!.map((n) => columnName(m.fields.find((x) => x.name === n)!));
    const to = f.relationToFields!.map((n) => columnName(target.fields.find((x) => x.name === n)!));
    const onDelete = (f.relationOnDelete ?? (f.isRequired ? "Restrict" : "SetNull"))
      .replace("SetNull", "SET NULL")
      .replace("Cascade", "CASCADE")
      .replace("Restrict", "RESTRICT")
      .replace("NoAction", "NO ACTION");
    out.push(
      `ALTER TABLE "${tableName(m)}" ADD CONSTRAINT "${tableName(m)}_${from.join("_")}_fkey" FOREIGN KEY (${from.map((c) => `"${c}"`).join(", ")}) REFERENCES "${tableName(target)}"(${to.map((c) => `"${c}"`).join(", ")}) ON DELETE ${onDelete} ON UPDATE CASCADE;\n`,
    );
  }
}
console.log(out.join("\n"));
