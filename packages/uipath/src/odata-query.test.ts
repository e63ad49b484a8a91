import { describe, expect, it } from 'vitest';
import { applyODataQuery, createODataCollector, maxPage, parseODataQuery, type Entity } from './odata-query.js';

const fields = new Set(['Id', 'State', 'ReleaseName', 'CreationTime', 'Key']);
const jobs = [
  { Id: 1, State: 'Successful', ReleaseName: 'Echo', CreationTime: '2026-12-01T10:00:00.000Z', Key: 'AA-1' },
  { Id: 2, State: 'Faulted', ReleaseName: 'Fail', CreationTime: '2026-12-02T10:00:00.000Z', Key: 'bb-2' },
  { Id: 3, State: 'Running', ReleaseName: "O'Brien", CreationTime: '2026-12-03T10:00:00.000Z', Key: 'cc-3' },
];
const ids = (query: Record<string, unknown>) =>
  applyODataQuery(jobs, parseODataQuery(query, fields)).value.map((job) => job.Id);

describe('OData query options over entities', () => {
  it('filters with comparisons, and, or, not, parentheses, functions, dates and quoted quotes', () => {
    expect(ids({ $filter: "State eq 'Successful' or State eq 'Faulted'" })).toEqual([1, 2]);
    expect(ids({ $filter: "not (State eq 'Running') and Id gt 1" })).toEqual([2]);
    expect(ids({ $filter: 'CreationTime ge 2026-12-02T00:00:00Z' })).toEqual([2, 3]);
    expect(ids({ $filter: "ReleaseName eq 'O''Brien'" })).toEqual([3]);
    expect(ids({ $filter: "contains(ReleaseName,'ai') or startswith(ReleaseName,'ec')" })).toEqual([1, 2]);
    expect(ids({ $filter: "Key eq 'aa-1'" })).toEqual([1]);
  });

  it('orders, pages, counts before paging and selects', () => {
    const query = parseODataQuery(
      { $orderby: 'Id desc', $top: '1', $skip: '1', $count: 'true', $select: 'Id,State' },
      fields,
    );
    expect(applyODataQuery(jobs, query)).toEqual({ value: [{ Id: 2, State: 'Faulted' }], count: 3 });
    expect(ids({ $orderby: 'ReleaseName' })).toEqual([1, 2, 3]);
  });

  it('refuses, naming them, options it does not serve, unknown properties and malformed expressions', () => {
    expect(() => parseODataQuery({ $expand: 'Robot', $apply: 'x' }, fields)).toThrow(/\$expand, \$apply/);
    expect(() => parseODataQuery({ $filter: "Robot eq 'x'" }, fields)).toThrow(/unknown property Robot/);
    expect(() => parseODataQuery({ $filter: 'Id eq' }, fields)).toThrow(/\$filter could not be read/);
    expect(() => parseODataQuery({ $filter: "Id eq 1 'trailing'" }, fields)).toThrow(/\$filter/);
    expect(() => parseODataQuery({ $filter: "tolower(State) eq 'x'" }, fields)).toThrow(/not supported/);
    expect(() => parseODataQuery({ $top: '-1' }, fields)).toThrow(/whole number/);
    expect(() => parseODataQuery({ $orderby: 'Id sideways' }, fields)).toThrow(/\$orderby/);
    expect(() => parseODataQuery({ $filter: ['a', 'b'] }, fields)).toThrow(/more than once/);
  });
});

describe('the precedence of not, and, or', () => {
  it('reads not before and, and before or, whatever the nesting the parser gives', () => {
    expect(ids({ $filter: "State eq 'Successful' and Id eq 1 or Id eq 3" })).toEqual([1, 3]);
    expect(ids({ $filter: "Id eq 3 or State eq 'Faulted' and Id eq 2" })).toEqual([2, 3]);
    expect(ids({ $filter: "not State eq 'Running' and Id gt 1 or Id eq 3" })).toEqual([2, 3]);
    expect(ids({ $filter: "not (State eq 'Running' or Id eq 1)" })).toEqual([2]);
    expect(ids({ $filter: "(Id eq 1 or Id eq 2) and State eq 'Faulted'" })).toEqual([2]);
  });
});

describe('a collection read in pages', () => {
  // 2,500 jobs, newest first, in pages of 500, as the Jobs route reads a folder.
  const many = Array.from({ length: 2500 }, (_, i) => ({ Id: 2500 - i, State: i % 2 ? 'Faulted' : 'Successful' }));
  const pages = (entities: Entity[]) => Array.from({ length: 5 }, (_, i) => entities.slice(i * 500, i * 500 + 500));
  const read = (query: Record<string, unknown>) => {
    const collector = createODataCollector(parseODataQuery(query, fields), { field: 'Id', descending: true });
    let pagesRead = 0;
    for (const page of pages(many)) {
      pagesRead++;
      if (collector.add(page)) break;
    }
    return { ...collector.result(), pagesRead };
  };

  it('stops reading once a page in the order it reads is full, and not when it must count', () => {
    const newest = read({ $top: '3', $filter: "State eq 'Faulted'" });
    expect([newest.value.map((e) => e.Id), newest.pagesRead]).toEqual([[2499, 2497, 2495], 1]);
    const counted = read({ $top: '3', $count: 'true' });
    expect([counted.value.map((e) => e.Id), counted.count, counted.pagesRead]).toEqual([[2500, 2499, 2498], 2500, 5]);
  });

  it('answers another order across every page as the whole collection would', () => {
    for (const query of [
      { $orderby: 'Id asc', $top: '4', $skip: '2' },
      { $orderby: 'State desc,Id', $top: '3', $skip: '600' },
      { $orderby: 'State', $filter: 'Id lt 10' },
    ]) {
      const whole = applyODataQuery(many, parseODataQuery(query, fields));
      expect(read(query).value, JSON.stringify(query)).toEqual(whole.value);
    }
  });

  it(`answers at most ${maxPage} entities without $top, and counts them all`, () => {
    const all = read({ $count: 'true' });
    expect([all.value.length, all.value[0]?.Id, all.count]).toEqual([maxPage, 2500, 2500]);
  });
});
