import { z } from 'zod';

/**
 * The expectation types the engine implements, each with the kwargs Great Expectations 1.x accepts
 * for it (unknown kwargs are refused, as GX's pydantic models forbid extras). The `kind` decides how
 * a type is evaluated: per row (map kinds, with `mostly`), as an aggregate, or on the table's shape.
 */
export type Kind = 'table' | 'column_map' | 'column_aggregate' | 'pair_map' | 'multicolumn_map';

const ResultFormatName = z.enum(['BOOLEAN_ONLY', 'BASIC', 'SUMMARY', 'COMPLETE']);
export const ResultFormatSpec = z.union([
  ResultFormatName,
  z.strictObject({
    result_format: ResultFormatName,
    partial_unexpected_count: z.number().int().min(0).optional(),
    include_unexpected_rows: z.boolean().optional(),
    unexpected_index_column_names: z.array(z.string()).optional(),
    exclude_unexpected_values: z.boolean().optional(),
    return_unexpected_index_query: z.boolean().optional(),
  }),
]);
export type ResultFormatSpec = z.infer<typeof ResultFormatSpec>;

const name = z.string().min(1);
const num = z.number().finite();
const bound = z
  .union([num, z.string().min(1)])
  .nullable()
  .optional();
const common = {
  result_format: ResultFormatSpec.optional(),
  catch_exceptions: z.boolean().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
};
const domain = {
  row_condition: z.string().min(1).nullable().optional(),
  condition_parser: z.enum(['pandas']).nullable().optional(),
};
const mostly = { mostly: z.number().min(0).max(1).optional() };
const between = {
  min_value: bound,
  max_value: bound,
  strict_min: z.boolean().optional(),
  strict_max: z.boolean().optional(),
};
const pairIgnore = {
  ignore_row_if: z.enum(['both_values_are_missing', 'either_value_is_missing', 'neither']).optional(),
};
const multiIgnore = { ignore_row_if: z.enum(['all_values_are_missing', 'any_value_is_missing', 'never']).optional() };

const column = (extra: z.ZodRawShape = {}) => z.strictObject({ column: name, ...domain, ...common, ...extra });
const columnMap = (extra: z.ZodRawShape = {}) => column({ ...mostly, ...extra });
const pair = (extra: z.ZodRawShape = {}) =>
  z.strictObject({ column_A: name, column_B: name, ...domain, ...common, ...mostly, ...pairIgnore, ...extra });
const multi = (extra: z.ZodRawShape = {}) =>
  z.strictObject({ column_list: z.array(name).min(1), ...domain, ...common, ...mostly, ...multiIgnore, ...extra });
const minOrMax = (shape: z.ZodObject) =>
  shape.refine(
    (k) => k.min_value != null || k.max_value != null,
    'at least one of min_value and max_value is required',
  );

export interface TypeSpec {
  kind: Kind;
  kwargs: z.ZodType<Record<string, unknown>>;
}

export const CATALOG: Record<string, TypeSpec> = {
  expect_table_row_count_to_be_between: {
    kind: 'table',
    kwargs: z.strictObject({ ...domain, ...common, ...between }),
  },
  expect_table_columns_to_match_set: {
    kind: 'table',
    kwargs: z.strictObject({ column_set: z.array(name), exact_match: z.boolean().nullable().optional(), ...common }),
  },
  expect_table_columns_to_match_ordered_list: {
    kind: 'table',
    kwargs: z.strictObject({ column_list: z.array(name), ...common }),
  },
  expect_column_to_exist: {
    kind: 'table',
    kwargs: z.strictObject({ column: name, column_index: z.number().int().min(0).nullable().optional(), ...common }),
  },
  expect_column_values_to_not_be_null: { kind: 'column_map', kwargs: columnMap() },
  expect_column_values_to_be_null: { kind: 'column_map', kwargs: columnMap() },
  expect_column_values_to_be_in_set: {
    kind: 'column_map',
    kwargs: columnMap({ value_set: z.array(z.union([z.string(), num, z.boolean()])) }),
  },
  expect_column_values_to_be_between: { kind: 'column_map', kwargs: minOrMax(columnMap(between)) },
  expect_column_values_to_match_regex: { kind: 'column_map', kwargs: columnMap({ regex: z.string().min(1) }) },
  expect_column_values_to_be_unique: { kind: 'column_map', kwargs: columnMap() },
  expect_column_values_to_be_of_type: { kind: 'column_map', kwargs: columnMap({ type_: name }) },
  expect_compound_columns_to_be_unique: { kind: 'multicolumn_map', kwargs: multi() },
  expect_multicolumn_sum_to_equal: { kind: 'multicolumn_map', kwargs: multi({ sum_total: num }) },
  expect_column_pair_values_to_be_equal: { kind: 'pair_map', kwargs: pair() },
  expect_column_pair_values_a_to_be_greater_than_b: {
    kind: 'pair_map',
    kwargs: pair({ or_equal: z.boolean().nullable().optional() }),
  },
  expect_column_mean_to_be_between: { kind: 'column_aggregate', kwargs: minOrMax(column(between)) },
  expect_column_sum_to_be_between: { kind: 'column_aggregate', kwargs: minOrMax(column(between)) },
  expect_column_min_to_be_between: { kind: 'column_aggregate', kwargs: minOrMax(column(between)) },
  expect_column_max_to_be_between: { kind: 'column_aggregate', kwargs: minOrMax(column(between)) },
  expect_column_proportion_of_unique_values_to_be_between: {
    kind: 'column_aggregate',
    kwargs: minOrMax(column(between)),
  },
};

/** The names of every supported type, for error messages and the JSON Schema. */
export const SUPPORTED_TYPES = Object.keys(CATALOG).sort();
