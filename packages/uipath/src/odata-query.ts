import { defaultParser } from '@odata/parser';
import { UipathError } from './errors.js';

/** An entity as OData shows it: Orchestrator's PascalCase fields. */
export type Entity = Record<string, unknown>;

export interface ODataQuery {
  filter: ((entity: Entity) => boolean) | undefined;
  orderBy: Array<{ field: string; descending: boolean }>;
  top: number | undefined;
  skip: number;
  count: boolean;
  select: string[] | undefined;
}

/** The query options served; any other `$` option is refused by name. */
const served = new Set(['$filter', '$orderby', '$top', '$skip', '$count', '$select']);

interface Token {
  type: string;
  raw: string;
  value: unknown;
}

const bad = (message: string) => new UipathError('BAD_REQUEST', message);

const comparisons: Readonly<Record<string, (order: number) => boolean>> = {
  EqualsExpression: (order) => order === 0,
  NotEqualsExpression: (order) => order !== 0,
  LesserThanExpression: (order) => order < 0,
  LesserOrEqualsExpression: (order) => order <= 0,
  GreaterThanExpression: (order) => order > 0,
  GreaterOrEqualsExpression: (order) => order >= 0,
};

const numericTypes = new Set([
  'Edm.Byte',
  'Edm.SByte',
  'Edm.Int16',
  'Edm.Int32',
  'Edm.Int64',
  'Edm.Decimal',
  'Edm.Double',
  'Edm.Single',
]);

/** A literal's value: text unquoted ('' is a quote), numbers, booleans, null, dates as epoch ms. */
const literalOf = (token: Token): unknown => {
  const type = token.value as string;
  if (type === 'null') return null;
  if (type === 'Edm.String') return token.raw.slice(1, -1).replaceAll("''", "'");
  if (type === 'Edm.Boolean') return token.raw === 'true';
  if (numericTypes.has(type)) return Number(token.raw);
  if (type === 'Edm.DateTimeOffset' || type === 'Edm.Date') return Date.parse(token.raw);
  if (type === 'Edm.Guid') return token.raw.toLowerCase();
  throw bad(`$filter: literals of type ${type} are not supported (${token.raw})`);
};

/** Orders two values of a comparison; a date field is compared to a date literal by time. */
const compare = (left: unknown, right: unknown): number | undefined => {
  if (left === null || right === null || left === undefined) return left === right ? 0 : undefined;
  let a = left;
  if (typeof right === 'number' && typeof left === 'string') a = Date.parse(left);
  if (typeof a === 'string' && typeof right === 'string') {
    // Guids and enum names compare as Orchestrator's do: whatever the case.
    const x = a.toLowerCase();
    const y = right.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'number' && typeof right === 'number') return Number.isNaN(a) ? undefined : a - right;
  if (typeof a === 'boolean' && typeof right === 'boolean') return a === right ? 0 : 1;
  return undefined;
};

type Operand = (entity: Entity) => unknown;

/** Makes a parsed `$filter` into a predicate over entities with `fields`; refuses what it does not know by name. */
const compile = (token: Token, fields: ReadonlySet<string>): Operand => {
  const node = token.value as Record<string, Token> & { method?: string; parameters?: Token[] };
  switch (token.type) {
    case 'BoolParenExpression':
    case 'ParenExpression':
    case 'CommonExpression':
      return compile(token.value as Token, fields);
    case 'AndExpression': {
      const [l, r] = [compile(node.left as Token, fields), compile(node.right as Token, fields)];
      return (e) => l(e) === true && r(e) === true;
    }
    case 'OrExpression': {
      const [l, r] = [compile(node.left as Token, fields), compile(node.right as Token, fields)];
      return (e) => l(e) === true || r(e) === true;
    }
    case 'NotExpression': {
      const inner = token.value as Token;
      if (isLogical(inner)) return compile(notFirst(inner), fields);
      const operand = compile(inner, fields);
      return (e) => operand(e) !== true;
    }
    case 'FirstMemberExpression':
    case 'MemberExpression':
    case 'PropertyPathExpression': {
      const name = token.raw;
      if (!fields.has(name)) throw bad(`$filter: unknown property ${name}; known: ${[...fields].join(', ')}`);
      return (e) => e[name];
    }
    case 'Literal': {
      const value = literalOf(token);
      return () => value;
    }
    case 'MethodCallExpression': {
      const method = node.method as string;
      const [field, text] = (node.parameters ?? []).map((p) => compile(p, fields));
      const test =
        method === 'contains'
          ? (a: string, b: string) => a.includes(b)
          : method === 'startswith'
            ? (a: string, b: string) => a.startsWith(b)
            : method === 'endswith'
              ? (a: string, b: string) => a.endsWith(b)
              : undefined;
      if (!test || !field || !text) throw bad(`$filter: the function ${token.raw} is not supported`);
      return (e) => {
        const [a, b] = [field(e), text(e)];
        return typeof a === 'string' && typeof b === 'string' && test(a.toLowerCase(), b.toLowerCase());
      };
    }
    default: {
      const test = comparisons[token.type];
      if (!test) throw bad(`$filter: ${token.raw} is not supported`);
      const [l, r] = [compile(node.left as Token, fields), compile(node.right as Token, fields)];
      return (e) => {
        const order = compare(l(e), r(e));
        return order === undefined ? token.type === 'NotEqualsExpression' : test(order);
      };
    }
  }
};

const isLogical = (token: Token): boolean => token.type === 'AndExpression' || token.type === 'OrExpression';

/**
 * `not` over a chain, as OData's precedence reads it: the parser follows the grammar, where `not`
 * takes everything after it (`not A and B` arrives as `not (A and B)`), but `not` binds tighter
 * than `and` and `or`, so it belongs to the chain's first operand: `(not A) and B`.
 */
const notFirst = (chain: Token): Token => {
  const { left, right } = chain.value as { left: Token; right: Token };
  const negated = isLogical(left) ? notFirst(left) : { type: 'NotExpression', raw: `not ${left.raw}`, value: left };
  return { type: chain.type, raw: chain.raw, value: { left: negated, right } };
};

const parsed = <T>(option: string, text: string, parse: () => T): T => {
  try {
    return parse();
  } catch (error) {
    if (error instanceof UipathError) throw error;
    throw bad(`${option} could not be read: "${text}" (${(error as Error).message})`);
  }
};

const count = (option: string, text: string): number => {
  if (!/^\d{1,9}$/.test(text)) throw bad(`${option} must be a whole number, not "${text}"`);
  return Number(text);
};

const oneText = (option: string, value: unknown): string => {
  if (typeof value !== 'string') throw bad(`${option} is given more than once`);
  return value;
};

/**
 * Reads the OData query options of a collection request (`$filter`, `$orderby`, `$top`, `$skip`,
 * `$count`, `$select`) over entities with `fields`, with the kept parser (decision 0013).
 * Options it does not serve (`$expand`, `$apply`, …) answer 400 naming them.
 */
export const parseODataQuery = (query: Record<string, unknown>, fields: ReadonlySet<string>): ODataQuery => {
  const unserved = Object.keys(query).filter((key) => key.startsWith('$') && !served.has(key));
  if (unserved.length > 0)
    throw bad(`query options not supported: ${unserved.join(', ')} (supported: ${[...served].join(', ')})`);
  const result: ODataQuery = {
    filter: undefined,
    orderBy: [],
    top: undefined,
    skip: 0,
    count: false,
    select: undefined,
  };
  if (query.$filter !== undefined) {
    const text = oneText('$filter', query.$filter);
    const tree = parsed('$filter', text, () => defaultParser.filter(text) as unknown as Token);
    if (!tree || tree.raw.length !== text.length) throw bad(`$filter could not be read past "${tree?.raw ?? ''}"`);
    const predicate = compile(tree, fields);
    result.filter = (entity) => predicate(entity) === true;
  }
  if (query.$orderby !== undefined) {
    const text = oneText('$orderby', query.$orderby);
    result.orderBy = text.split(',').map((item) => {
      const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$/i.exec(item);
      if (!match) throw bad(`$orderby could not be read: "${item.trim()}"`);
      const field = match[1] as string;
      if (!fields.has(field)) throw bad(`$orderby: unknown property ${field}`);
      return { field, descending: match[2]?.toLowerCase() === 'desc' };
    });
  }
  if (query.$top !== undefined) {
    result.top = count('$top', oneText('$top', query.$top));
    // Orchestrator's own limit of a page.
    if (result.top > 1000) throw bad(`$top is at most 1000, not ${result.top}`);
  }
  if (query.$skip !== undefined) result.skip = count('$skip', oneText('$skip', query.$skip));
  if (query.$count !== undefined) {
    const text = oneText('$count', query.$count);
    if (text !== 'true' && text !== 'false') throw bad(`$count must be true or false, not "${text}"`);
    result.count = text === 'true';
  }
  if (query.$select !== undefined) {
    const names = oneText('$select', query.$select)
      .split(',')
      .map((name) => name.trim());
    const unknown = names.filter((name) => !fields.has(name));
    if (unknown.length > 0) throw bad(`$select: unknown properties ${unknown.join(', ')}`);
    result.select = names;
  }
  return result;
};

/** The most entities one answer holds, with or without `$top` (Orchestrator's limit of `$top`). */
export const maxPage = 1000;

const orderOf =
  (orderBy: ODataQuery['orderBy']) =>
  (a: Entity, b: Entity): number => {
    for (const { field, descending } of orderBy) {
      const order = compare(a[field], b[field]) ?? 0;
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  };

/**
 * Applies a parsed query to a collection read in pages, keeping no more than the answer needs
 * (`$skip` + `$top` entities), so a folder of a million jobs is read through, never held. `scan`
 * is the order the pages come in: when the query asks for that order (or none) and no count, it
 * stops reading once the page is full.
 */
export const createODataCollector = (query: ODataQuery, scan?: { field: string; descending: boolean }) => {
  const wanted = query.skip + Math.min(query.top ?? maxPage, maxPage);
  const [first] = query.orderBy;
  const inScanOrder =
    query.orderBy.length === 0 ||
    (scan !== undefined && first?.field === scan.field && first.descending === scan.descending);
  const order = orderOf(query.orderBy);
  let kept: Entity[] = [];
  let count = 0;
  return {
    /** Takes the next page; answers whether the answer is complete and nothing more need be read. */
    add(entities: readonly Entity[]): boolean {
      const matching = query.filter ? entities.filter(query.filter) : entities;
      count += matching.length;
      if (inScanOrder) {
        kept.push(...matching.slice(0, Math.max(0, wanted - kept.length)));
        return kept.length >= wanted && !query.count;
      }
      // Sorted (stably: the scan order breaks ties) and cut back to what the answer can hold, once
      // twice that has gathered: a sort per page would sort the whole kept set again each time.
      kept.push(...matching);
      if (kept.length >= 2 * wanted) kept = kept.sort(order).slice(0, wanted);
      return false;
    },
    result(): { value: Entity[]; count: number | undefined } {
      if (!inScanOrder) kept = kept.sort(order).slice(0, wanted);
      const page = kept.slice(query.skip, wanted);
      const value = query.select
        ? page.map((entity) => Object.fromEntries((query.select as string[]).map((name) => [name, entity[name]])))
        : page;
      return { value, count: query.count ? count : undefined };
    },
  };
};

/** Applies a parsed query to a collection: the page, and the count before paging when asked. */
export const applyODataQuery = (
  entities: readonly Entity[],
  query: ODataQuery,
): { value: Entity[]; count: number | undefined } => {
  const collector = createODataCollector(query);
  collector.add(entities);
  return collector.result();
};
