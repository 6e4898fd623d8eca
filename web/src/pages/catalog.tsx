import { api, Page as Paged, Product } from '../api';
import { link } from '../router';
import { useLoad } from '../store';
import { Alert, Loading, Page, Pager, ProductList } from '../ui';

export function CatalogPage({ page }: { page: number }) {
  const { data, error } = useLoad(
    () => api<Paged<Product>>('GET', `/api/products?page=${page}`),
    [page],
  );
  return (
    <Page title="Books">
      <Alert error={error} />
      {data ? (
        <>
          <p class="muted">
            {data.totalElements} books · page {data.pageNumber} of {data.totalPages}
          </p>
          <ProductList products={data.data} />
          <Pager page={data.pageNumber} totalPages={data.totalPages} href={link.catalog} />
        </>
      ) : (
        !error && <Loading />
      )}
    </Page>
  );
}
