import { z } from 'zod';
import { ApiTaskError } from './errors.js';

/**
 * Automation Anywhere's list requests (`…/list` of files, devices, activity): a `filter` tree of
 * `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `substring` on a field and `and`, `or`, `not` over
 * operands; `sort` by fields; `page` as `offset` and `length`. Any of them may be missing or
 * null (clients send `"page": null`).
 */
export interface Filter {
  operator: string;
  field?: string | undefined;
  value?: unknown;
  operands?: unknown[] | undefined;
}

// One level: operands are read by the same schema as the filter is walked (a recursive schema
// would not fit the OpenAPI documents, which inline every schema).
const filter = z.object({
  operator: z.string(),
  field: z.string().optional(),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  operands: z
    .array(z.record(z.string(), z.unknown()))
    .max(100)
    .optional()
    .meta({ description: 'Filters of the same shape, for and, or, not' }),
});

const operandOf = (operand: unknown): Filter => {
  const parsed = filter.safeParse(operand);
  if (!parsed.success)
    throw new ApiTaskError(
      'BAD_REQUEST',
      `a filter operand is malformed: ${parsed.error.issues[0]?.message ?? 'not a filter'}`,
      {},
      'filter',
    );
  return parsed.data as Filter;
};

export const listQuery = z.object({
  filter: filter.nullish(),
  sort: z
    .array(z.object({ field: z.string(), direction: z.string().optional() }))
    .max(10)
    .nullish(),
  page: z
    .object({ offset: z.number().int().min(0).optional(), length: z.number().int().min(1).max(10_000).optional() })
    .nullish(),
  fields: z.array(z.string()).nullish(),
});
export type ListQuery = z.output<typeof listQuery>;

const comparisons = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'substring']);

const text = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** Numbers compare as numbers, the rest as text, case-insensitive (Control Room filters are). */
const compare = (a: unknown, b: unknown): number => {
  const [x, y] = [text(a), text(b)];
  if (x !== '' && y !== '' && Number.isFinite(Number(x)) && Number.isFinite(Number(y))) return Number(x) - Number(y);
  return x.toLowerCase().localeCompare(y.toLowerCase());
};

const matcher = (
  node: Filter,
  fields: ReadonlySet<string>,
  depth = 0,
): ((record: Record<string, unknown>) => boolean) => {
  if (depth > 20) throw new ApiTaskError('BAD_REQUEST', 'the filter nests deeper than 20 levels', {}, 'filter');
  const operator = node.operator.toLowerCase();
  if (operator === 'none' || (operator === 'and' && (node.operands ?? []).length === 0)) return () => true;
  if (operator === 'and' || operator === 'or' || operator === 'not') {
    const parts = (node.operands ?? []).map((operand) => matcher(operandOf(operand), fields, depth + 1));
    if (operator === 'not') {
      if (parts.length !== 1) throw new ApiTaskError('BAD_REQUEST', 'a "not" filter takes one operand', {}, 'filter');
      return (record) => !(parts[0] as (record: Record<string, unknown>) => boolean)(record);
    }
    if (parts.length === 0)
      throw new ApiTaskError('BAD_REQUEST', `an "${operator}" filter needs operands`, {}, 'filter');
    return operator === 'and'
      ? (record) => parts.every((part) => part(record))
      : (record) => parts.some((part) => part(record));
  }
  if (!comparisons.has(operator))
    throw new ApiTaskError(
      'BAD_REQUEST',
      `unknown filter operator "${node.operator}"; use eq, ne, lt, le, gt, ge, substring, and, or, not`,
      {},
      'filter',
    );
  const field = node.field;
  if (field === undefined || !fields.has(field))
    throw new ApiTaskError(
      'BAD_REQUEST',
      `cannot filter on ${field === undefined ? 'no field' : `"${field}"`}; filter on ${[...fields].join(', ')}`,
      {},
      'filter',
    );
  const wanted = node.value;
  switch (operator) {
    case 'eq':
      return (record) => compare(record[field], wanted) === 0;
    case 'ne':
      return (record) => compare(record[field], wanted) !== 0;
    case 'lt':
      return (record) => compare(record[field], wanted) < 0;
    case 'le':
      return (record) => compare(record[field], wanted) <= 0;
    case 'gt':
      return (record) => compare(record[field], wanted) > 0;
    case 'ge':
      return (record) => compare(record[field], wanted) >= 0;
    default:
      return (record) => text(record[field]).toLowerCase().includes(text(wanted).toLowerCase());
  }
};

/**
 * One page of `records` as the query asks, in Automation Anywhere's answer shape: `list` and
 * `page` (`offset`, `total`: all records, `totalFilter`: those the filter kept). Filtering and
 * sorting only on `fields`.
 */
export const listPage = <T extends Record<string, unknown>>(
  records: readonly T[],
  query: ListQuery,
  fields: readonly string[],
  defaultSort: { field: string; direction: 'asc' | 'desc' },
) => {
  const known = new Set(fields);
  const keep = query.filter ? matcher(query.filter, known) : () => true;
  const kept = records.filter(keep);
  const sort = query.sort && query.sort.length > 0 ? query.sort : [defaultSort];
  for (const { field, direction } of sort) {
    if (!known.has(field))
      throw new ApiTaskError('BAD_REQUEST', `cannot sort on "${field}"; sort on ${fields.join(', ')}`, {}, 'sort');
    if (direction !== undefined && !['asc', 'desc'].includes(direction.toLowerCase()))
      throw new ApiTaskError('BAD_REQUEST', `sort direction must be asc or desc, not "${direction}"`, {}, 'sort');
  }
  const sorted = [...kept].sort((a, b) => {
    for (const { field, direction } of sort) {
      const order = compare(a[field], b[field]) * (direction?.toLowerCase() === 'desc' ? -1 : 1);
      if (order !== 0) return order;
    }
    return 0;
  });
  const offset = query.page?.offset ?? 0;
  const length = query.page?.length ?? 100;
  return {
    list: sorted.slice(offset, offset + length),
    page: { offset, total: records.length, totalFilter: kept.length },
  };
};
