/** A page of results in the reference bookstore's shape; pages are numbered from 1. */
export interface PagedResult<T> {
  data: T[];
  totalElements: number;
  pageNumber: number;
  totalPages: number;
  isFirst: boolean;
  isLast: boolean;
  hasNext: boolean;
  hasPrevious: boolean;
}

export function pagedResult<T>(
  data: T[],
  totalElements: number,
  pageNumber: number,
  pageSize: number,
): PagedResult<T> {
  const totalPages = Math.ceil(totalElements / pageSize);
  return {
    data,
    totalElements,
    pageNumber,
    totalPages,
    isFirst: pageNumber === 1,
    isLast: pageNumber >= totalPages,
    hasNext: pageNumber < totalPages,
    hasPrevious: pageNumber > 1,
  };
}
