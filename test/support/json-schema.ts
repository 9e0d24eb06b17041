/**
 * A small JSON Schema (2020-12) validator for the keywords vectors/schema.json uses: type, const,
 * enum, properties, required, additionalProperties, propertyNames, pattern, items, minItems,
 * minProperties, minimum, maximum, oneOf and local $ref. An unknown keyword is an error, so the
 * schema cannot grow past what is checked.
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set(['$schema', '$id', 'title', 'description', '$defs', 'type', 'const', 'enum', 'properties', 'required', 'additionalProperties', 'propertyNames', 'pattern', 'items', 'minItems', 'minProperties', 'minimum', 'maximum', 'oneOf', '$ref']);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Problems of `value` against `schema` (empty: valid), each with its JSON path. */
export function validate(value: unknown, schema: Schema, root: Schema = schema, path = '$'): string[] {
  const out: string[] = [];
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`json-schema: keyword ${k} is not supported`);
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref.replace(/^#\//, '').split('/').reduce<unknown>((o, k) => (o as Schema)[k], root) as Schema;
    return validate(value, target, root, path);
  }
  const t = typeOf(value);
  if (schema.type !== undefined && !(schema.type === t || (schema.type === 'number' && t === 'integer'))) return [`${path}: is ${t}, not ${String(schema.type)}`];
  if ('const' in schema && value !== schema.const) out.push(`${path}: must be ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) out.push(`${path}: must be one of ${JSON.stringify(schema.enum)}`);
  if (typeof schema.pattern === 'string' && typeof value === 'string' && !new RegExp(schema.pattern, 'u').test(value)) out.push(`${path}: does not match ${schema.pattern}`);
  if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum) out.push(`${path}: below ${schema.minimum}`);
  if (typeof schema.maximum === 'number' && typeof value === 'number' && value > schema.maximum) out.push(`${path}: above ${schema.maximum}`);
  if (t === 'array') {
    const a = value as unknown[];
    if (typeof schema.minItems === 'number' && a.length < schema.minItems) out.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.items) a.forEach((v, i) => out.push(...validate(v, schema.items as Schema, root, `${path}[${i}]`)));
  }
  if (t === 'object') {
    const o = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    if (typeof schema.minProperties === 'number' && Object.keys(o).length < schema.minProperties) out.push(`${path}: fewer than ${schema.minProperties} properties`);
    for (const r of (schema.required ?? []) as string[]) if (!(r in o)) out.push(`${path}: lacks ${r}`);
    for (const [k, v] of Object.entries(o)) {
      if (schema.propertyNames) out.push(...validate(k, schema.propertyNames as Schema, root, `${path} key ${JSON.stringify(k)}`));
      if (props[k]) out.push(...validate(v, props[k]!, root, `${path}.${k}`));
      else if (schema.additionalProperties === false) out.push(`${path}: unexpected property ${k}`);
      else if (typeof schema.additionalProperties === 'object') out.push(...validate(v, schema.additionalProperties as Schema, root, `${path}.${k}`));
    }
  }
  if (Array.isArray(schema.oneOf)) {
    const passing = (schema.oneOf as Schema[]).filter((s) => validate(value, s, root, path).length === 0).length;
    if (passing !== 1) out.push(`${path}: matches ${passing} of oneOf, not exactly 1`);
  }
  return out;
}
