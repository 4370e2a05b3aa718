/**
 * Random arguments for the contract's methods and streams, for fuzzing (fast-check). They are derived
 * from the same zod schemas the server validates with, through their JSON Schema, so a method added to
 * the contract is fuzzed without anyone writing a generator for it: well-shaped arguments (what the
 * schema accepts, to reach the implementation and the engine) and malformed ones (what a broken or
 * hostile client sends, to reach the validation and the session's bounds).
 */
import fc from 'fast-check';
import { z } from 'zod';
import type { MethodDefinition, StreamDefinition } from '../definitions.js';

/** The part of JSON Schema that z.toJSONSchema writes for the contract (checked by a unit test). */
export interface JsonSchema {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'null';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** Arrays and strings are kept short: the point is shapes and edges, not volume (that is the wire fuzz). */
const MAX_ITEMS = 6;
const MAX_FREE_STRING = 40;

export function argumentsSchema(definition: MethodDefinition | StreamDefinition): JsonSchema {
  return z.toJSONSchema(definition.args, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
}

const absolutePath = fc
  .array(
    fc.stringMatching(/^[a-zA-Z0-9 ._-]{1,12}$/).filter((part) => part !== '.' && part !== '..'),
    { maxLength: 4 },
  )
  .map((parts) => `/${parts.join('/')}`);
const subnet = fc
  .tuple(
    fc.integer({ min: 10, max: 10 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 16, max: 28 }),
  )
  .map(([a, b, c, bits]) => `${a}.${b}.${c}.0/${bits}`);

const nameComponent = fc.stringMatching(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, { size: 'xsmall' });
const imageReference = fc
  .tuple(
    fc.option(fc.constantFrom('127.0.0.1:5000', 'registry.example', 'localhost:1'), { nil: undefined }),
    fc.array(nameComponent, { minLength: 1, maxLength: 3 }),
    fc.option(fc.stringMatching(/^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,20}$/), { nil: undefined }),
    fc.option(fc.stringMatching(/^[a-f0-9]{64}$/), { nil: undefined }),
  )
  .map(([registry, path, tag, digest]) => {
    const name = [registry, ...path].filter(Boolean).join('/');
    return `${name}${tag ? `:${tag}` : ''}${digest ? `@sha256:${digest}` : ''}`;
  })
  .filter((reference) => reference.length <= 512 && /^[a-zA-Z0-9]/.test(reference));
const rfc3339Time = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

/**
 * Properties whose schema is a refinement JSON Schema cannot say (zod superRefine): without these,
 * almost every generated value would be refused and the implementation behind it never reached.
 */
export const REFINED_PROPERTIES: Readonly<Record<string, Readonly<Record<string, fc.Arbitrary<unknown>>>>> = {
  'volumes.browse': { path: absolutePath },
  'volumes.readFile': { path: absolutePath },
  'networks.create': { subnet },
  'containers.logsBefore': { time: rfc3339Time },
  'images.remove': { reference: imageReference },
  'images.inspect': { reference: imageReference },
  'images.tag': { source: imageReference },
  // ssh engines only (tls must then be null): nothing answers on port 1, and .invalid never resolves.
  'engines.add': {
    address: fc.constantFrom('ssh://fuzz@127.0.0.1:1', 'ssh://nobody@berth-fuzz.invalid', 'ssh://127.0.0.1:1'),
    tls: fc.constant(null),
  },
};

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? MAX_FREE_STRING, Math.max(minLength, MAX_FREE_STRING));
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.pattern) {
    return fc
      .stringMatching(new RegExp(schema.pattern), { size: 'small' })
      .filter((text) => text.length >= minLength && text.length <= (schema.maxLength ?? Infinity));
  }
  return fc.string({ minLength, maxLength, unit: 'binary' });
}

function numberArbitrary(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1_000_000);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1_000_000);
  if (schema.type === 'integer') return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

type PropertyValues = Readonly<Record<string, fc.Arbitrary<unknown>>>;

export interface ArgumentChoices {
  /** Values that replace a property's generated ones, by name (host paths kept in a sandbox). */
  pinned?: PropertyValues;
  /** Values mixed in with a property's generated ones, by name (real containers to act on). */
  mixedIn?: PropertyValues;
}

/** Well-shaped and malformed arguments of one contract entry ("namespace.name"). */
export function argumentsOf(name: string, definition: MethodDefinition | StreamDefinition, choices: ArgumentChoices = {}) {
  const schema = argumentsSchema(definition);
  const properties: Record<string, (generated: fc.Arbitrary<unknown>) => fc.Arbitrary<unknown>> = {};
  for (const [key, values] of Object.entries({ ...REFINED_PROPERTIES[name], ...choices.pinned })) properties[key] = () => values;
  for (const [key, values] of Object.entries(choices.mixedIn ?? {})) {
    properties[key] ??= (generated) => fc.oneof(values, generated);
  }
  return { wellShaped: wellShaped(schema, properties), malformed: malformed(schema, properties) };
}

/** For each property name, how its values are made from the ones its schema would generate. */
type PropertyRules = Readonly<Record<string, (generated: fc.Arbitrary<unknown>) => fc.Arbitrary<unknown>>>;

/** Values the schema accepts; `refined` decides the values of some properties (by name, at any depth). */
export function wellShaped(schema: JsonSchema, refined: PropertyRules = {}): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => wellShaped(choice, refined)));
  switch (schema.type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const record = Object.fromEntries(
        Object.entries(properties).map(([key, value]) => [
          key,
          refined[key] ? refined[key](wellShaped(value, refined)) : wellShaped(value, refined),
        ]),
      );
      return fc.record(record, { requiredKeys: (schema.required ?? []).filter((key) => key in properties) });
    }
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.min(schema.maxItems ?? MAX_ITEMS, Math.max(minLength, MAX_ITEMS));
      return fc.array(wellShaped(schema.items ?? {}, refined), { minLength, maxLength });
    }
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
    case 'number':
      return numberArbitrary(schema);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      // z.unknown() and what JSON Schema cannot say (bytes): anything JSON can carry.
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** What a broken client puts where a value should be: wrong types, edges, and sizes past every bound. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1e308, -0, '', ' ', '..', '../../etc/passwd', '\u0000', '%00', '😀', [], {}),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.integer(),
  fc.double(),
  fc.constant('x'.repeat(70_000)),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/**
 * Arguments that are most likely refused: a well-shaped object with one property replaced by a wrong
 * value, one required property dropped, an unknown key added, or not an object at all.
 */
export function malformed(schema: JsonSchema, refined: PropertyRules = {}): fc.Arbitrary<unknown> {
  const base = wellShaped(schema, refined);
  const keys = Object.keys(schema.properties ?? {});
  const mutations: Array<fc.Arbitrary<unknown>> = [
    wrongValue,
    fc
      .tuple(base, fc.string({ minLength: 1, maxLength: 20 }), wrongValue)
      .map(([value, key, wrong]) =>
        typeof value === 'object' && value !== null ? { ...value, [`${key}_unknown`]: wrong } : value,
      ),
  ];
  if (keys.length > 0) {
    mutations.push(
      fc.tuple(base, fc.constantFrom(...keys), wrongValue).map(([value, key, wrong]) => ({ ...(value as object), [key]: wrong })),
      fc.tuple(base, fc.constantFrom(...keys)).map(([value, key]) => {
        const copy = { ...(value as Record<string, unknown>) };
        delete copy[key];
        return copy;
      }),
    );
  }
  return fc.oneof(...mutations);
}
