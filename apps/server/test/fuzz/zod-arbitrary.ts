import fc from "fast-check";
import type { z } from "zod";

/** What the generator knows beyond a schema: ids worth trying for a field (the caller's, another user's), cursors. */
export interface FuzzPools {
  idsFor: (field: string) => string[];
  cursors: string[];
}

interface Check {
  check: string;
  minimum?: number;
  maximum?: number;
  length?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
  prefix?: string;
}

/** The zod 4 definition behind a schema (the fields this generator reads). */
interface Def {
  type: string;
  format?: string;
  pattern?: RegExp;
  checks?: { _zod: { def: Check } }[];
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (def: Def) => (def.checks ?? []).map((c) => c._zod.def);
const find = (def: Def, name: string) => checksOf(def).find((c) => c.check === name);

/** Strings that broke servers before: lone surrogates, NUL and control characters, paths, SQL, huge and blank. */
const hostileStrings = fc.constantFrom(
  "",
  "   ",
  "\ud800",
  "z\udc00",
  "a\ud83d",
  "\u0000",
  "\u0001\u001f\u007f",
  "\u202e\u200b",
  "../../etc/passwd",
  "%E0%A4%A",
  "' OR 1=1 --",
  "\\",
  "🐱".repeat(300),
  "x".repeat(70_000),
  "uncategorized",
  "null",
);

/** Keyset cursors that are not ours: garbage, and base64url JSON with times no date holds. */
const hostileCursors = fc.constantFrom(
  ...[
    '[1e20,"x"]',
    '[1e400,"x"]',
    '[-1e20,"x"]',
    '[8640000000000001,"x"]',
    "[null,null]",
    "{}",
    '"x"',
    "[0]",
  ].map((json) => Buffer.from(json).toString("base64url")),
  "!!!",
  "====",
  "a".repeat(600),
);

/** Any value of the wrong kind, including what superjson carries beyond JSON. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "", [], {}),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.date({ noInvalidDate: false }),
  fc.bigInt(),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

const looksLikeId = (key: string) => /(^id$|Id$|Ids$)/.test(key);

/** URLs whose host is a literal the push guard judges without DNS (so no test waits on a resolver). */
const urls = fc.constantFrom(
  "http://127.0.0.1:1/hook",
  "https://10.0.0.1/x",
  "http://[::1]/",
  "http://[::ffff:127.0.0.1]/",
  "https://192.0.2.1/",
  "http://169.254.169.254/latest/meta-data",
  "ftp://127.0.0.1/",
  "http://user:pass@127.0.0.1/",
);

function validString(def: Def, key: string, pools: FuzzPools): fc.Arbitrary<string> {
  if (def.format === "email") return fc.emailAddress().filter((email) => email.length <= 200);
  if (def.format === "url") return urls;
  if (def.pattern) return fc.stringMatching(def.pattern);
  if (looksLikeId(key)) return fc.constantFrom(...pools.idsFor(key));
  if (key === "cursor" && pools.cursors.length) return fc.constantFrom(...pools.cursors);
  const regex = checksOf(def).find((c) => c.check === "string_format" && c.pattern)?.pattern;
  if (regex) return fc.stringMatching(regex).filter((s) => s.length < 300);
  const min = find(def, "min_length")?.minimum ?? find(def, "length_equals")?.length ?? 0;
  const max = find(def, "max_length")?.maximum ?? find(def, "length_equals")?.length ?? 40;
  return fc.string({ unit: "grapheme", minLength: min, maxLength: Math.min(max, Math.max(min, 40)) });
}

function numberBounds(def: Def) {
  const low = find(def, "greater_than");
  const high = find(def, "less_than");
  const integer = find(def, "number_format")?.format?.includes("int") ?? false;
  return {
    integer,
    min: low
      ? low.value! + (low.inclusive ? 0 : integer ? 1 : 1e-9)
      : integer
        ? Number.MIN_SAFE_INTEGER
        : -1e12,
    max: high
      ? high.value! - (high.inclusive ? 0 : integer ? 1 : 1e-9)
      : integer
        ? Number.MAX_SAFE_INTEGER
        : 1e12,
  };
}

function validNumber(def: Def): fc.Arbitrary<number> {
  const { integer, min, max } = numberBounds(def);
  return fc.oneof(
    fc.constantFrom(min, max),
    integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true }),
  );
}

/** Values of the right kind that break a bound: one past each end, a fraction for an integer, huge. */
function hostileNumber(def: Def): fc.Arbitrary<unknown> {
  const { integer, min, max } = numberBounds(def);
  return fc.constantFrom(min - 1, max + 1, integer ? min + 0.5 : Number.NaN, -0, 2 ** 53 + 2, -1e308, 1e308);
}

type Mode = "valid" | "mixed";

/**
 * An arbitrary of inputs for a schema. "valid" follows the schema (with ids from the pools, boundary numbers);
 * "mixed" also puts wrong types, missing and extra fields, out-of-range numbers and hostile strings at any depth.
 */
export function inputArbitrary(
  schema: z.ZodType,
  pools: FuzzPools,
  mode: Mode = "mixed",
  key = "",
): fc.Arbitrary<unknown> {
  const structured = structuredArbitrary(schema, pools, mode, key);
  if (mode === "valid") return structured;
  return fc.oneof(
    { weight: 5, arbitrary: structured },
    { weight: 2, arbitrary: hostileArbitrary(schema, key) },
  );
}

function hostileArbitrary(schema: z.ZodType, key: string): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case "string": {
      const max = find(def, "max_length")?.maximum;
      return fc.oneof(
        anyValue,
        hostileStrings,
        ...(max !== undefined ? [fc.constant("y".repeat(max + 1))] : []),
        ...(key === "cursor" ? [hostileCursors] : []),
      );
    }
    case "number":
      return fc.oneof(anyValue, hostileNumber(def));
    case "array": {
      const max = find(def, "max_length")?.maximum;
      return fc.oneof(
        anyValue,
        ...(max !== undefined && max <= 1000
          ? [fc.constant(Array.from({ length: max + 1 }, (_, i) => `x${i}`))]
          : []),
      );
    }
    default:
      return anyValue;
  }
}

function structuredArbitrary(
  schema: z.ZodType,
  pools: FuzzPools,
  mode: Mode,
  key: string,
): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const inner = (s: z.ZodType, k = key) => inputArbitrary(s, pools, mode, k);
  switch (def.type) {
    case "string":
      return validString(def, key, pools);
    case "number":
      return validNumber(def);
    case "boolean":
      return fc.boolean();
    case "enum":
      return fc.constantFrom(...Object.values(def.entries!));
    case "literal":
      return fc.constantFrom(...def.values!);
    case "optional":
    case "default":
    case "prefault":
      return fc.oneof(fc.constant(undefined), inner(def.innerType!));
    case "nullable":
      return fc.oneof(fc.constant(null), inner(def.innerType!));
    case "readonly":
    case "nonoptional":
      return inner(def.innerType!);
    case "pipe":
      return inner(def.in!);
    case "union":
      return fc.oneof(...def.options!.map((option) => inner(option)));
    case "array": {
      const min = find(def, "min_length")?.minimum ?? 0;
      const max = find(def, "max_length")?.maximum ?? 5;
      return fc.array(inner(def.element!, key), {
        minLength: min,
        maxLength: Math.min(max, Math.max(min, 4)),
      });
    }
    case "object":
      return objectArbitrary(def.shape!, pools, mode);
    default:
      return anyValue;
  }
}

function objectArbitrary(
  shape: Record<string, z.ZodType>,
  pools: FuzzPools,
  mode: Mode,
): fc.Arbitrary<unknown> {
  const fields = Object.fromEntries(
    Object.entries(shape).map(([field, schema]) => [field, inputArbitrary(schema, pools, mode, field)]),
  );
  const record = fc
    .record(fields, { requiredKeys: [] })
    .map((value) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)));
  // Optional fields come and go, so "only an id" and other sparse inputs are common.
  const requiredKeys = Object.entries(shape)
    .filter(([, schema]) => !["optional", "default", "prefault"].includes(defOf(schema).type))
    .map(([field]) => field);
  if (mode === "valid") return fc.record(fields, { requiredKeys });
  // Missing fields come from the optional keys of `record`; extra ones are added here.
  return fc.oneof(
    { weight: 4, arbitrary: fc.record(fields) },
    { weight: 2, arbitrary: record },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.record(fields),
          fc.constantFrom("extra", "__proto__", "constructor", "uid", "userId"),
          anyValue,
        )
        .map(([value, extra, v]) => ({ ...(value as object), [extra]: v })),
    },
  );
}
