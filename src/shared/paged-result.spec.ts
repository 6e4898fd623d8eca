import { pagedResult } from './paged-result';

describe('pagedResult', () => {
  it('flags the first of two pages', () => {
    expect(pagedResult([1], 15, 1, 10)).toEqual({
      data: [1],
      totalElements: 15,
      pageNumber: 1,
      totalPages: 2,
      isFirst: true,
      isLast: false,
      hasNext: true,
      hasPrevious: false,
    });
  });

  it('flags the last page', () => {
    const page = pagedResult([1], 15, 2, 10);
    expect([page.isFirst, page.isLast, page.hasNext, page.hasPrevious]).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });

  it('treats a page past the end as last, with no data', () => {
    const page = pagedResult([], 15, 5, 10);
    expect([page.totalPages, page.isLast, page.hasNext, page.hasPrevious]).toEqual([
      2,
      true,
      false,
      true,
    ]);
  });

  it('has zero pages when empty', () => {
    const page = pagedResult([], 0, 1, 10);
    expect([page.totalPages, page.isFirst, page.isLast, page.hasNext]).toEqual([
      0,
      true,
      true,
      false,
    ]);
  });
});
