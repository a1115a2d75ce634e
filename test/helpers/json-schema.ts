// A small JSON Schema (2020-12) validator for the subset lib/edge/openapi.ts generates. It refuses a keyword it does
// not know, so a schema that grows past the subset fails the test instead of passing unchecked.

type S = { [key: string]: unknown };

const ANNOTATIONS = new Set(["description", "title", "default", "examples", "example", "readOnly", "deprecated", "format"]);
const KNOWN = new Set([
  ...ANNOTATIONS,
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "items",
  "anyOf",
  "oneOf",
  "allOf",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
]);

const typeOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The errors of `value` against `schema` ("" is the root), empty when it validates. */
export function validate(schema: S, value: unknown, at = ""): string[] {
  const errors: string[] = [];
  const fail = (why: string) => errors.push(`${at || "(root)"}: ${why}`);
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`${at || "(root)"}: the validator does not know the keyword "${k}"`);

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    const t = typeOf(value);
    if (!types.some((want) => want === t || (want === "number" && t === "integer"))) {
      fail(`is ${t}, not ${types.join(" or ")}`);
      return errors;
    }
  }
  if (schema.enum !== undefined && !(schema.enum as unknown[]).some((e) => same(e, value)))
    fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if ("const" in schema && !same(schema.const, value)) fail(`${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);

  if (typeof value === "string") {
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) fail(`"${value}" does not match ${schema.pattern}`);
    if (typeof schema.minLength === "number" && [...value].length < schema.minLength) fail(`is shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === "number" && [...value].length > schema.maxLength) fail(`is longer than ${schema.maxLength}`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) fail(`${value} < ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) fail(`${value} > ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) fail(`${value} <= ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) fail(`${value} >= ${schema.exclusiveMaximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) fail(`has fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) fail(`has more than ${schema.maxItems} items`);
    if (schema.items && typeof schema.items === "object") value.forEach((v, i) => errors.push(...validate(schema.items as S, v, `${at}[${i}]`)));
  }
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, S>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) fail(`misses the required "${r}"`);
    for (const [k, v] of Object.entries(obj)) {
      const path = `${at}.${k}`;
      if (props[k]) errors.push(...validate(props[k], v, path));
      else if (schema.additionalProperties === false) fail(`has the unknown property "${k}"`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === "object")
        errors.push(...validate(schema.additionalProperties as S, v, path));
      if (schema.propertyNames) errors.push(...validate(schema.propertyNames as S, k, `${path} (name)`));
    }
  }
  if (schema.allOf) for (const s of schema.allOf as S[]) errors.push(...validate(s, value, at));
  if (schema.anyOf && !(schema.anyOf as S[]).some((s) => validate(s, value, at).length === 0)) fail("matches none of anyOf");
  if (schema.oneOf) {
    const n = (schema.oneOf as S[]).filter((s) => validate(s, value, at).length === 0).length;
    if (n !== 1) fail(`matches ${n} of oneOf, not exactly one`);
  }
  return errors;
}
