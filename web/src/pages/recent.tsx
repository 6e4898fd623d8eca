import { api, Product } from '../api';
import { link } from '../router';
import { useLoad } from '../store';
import { Alert, Loading, Page, ProductList } from '../ui';

export function RecentPage() {
  const { data, error } = useLoad(() => api<Product[]>('GET', '/api/products/recently-viewed'), []);
  return (
    <Page title="Recently viewed">
      <Alert error={error} />
      {!data ? (
        !error && <Loading />
      ) : data.length === 0 ? (
        <p>
          Books you open appear here. <a href={link.catalog()}>Browse the catalog</a>.
        </p>
      ) : (
        <ProductList products={data} />
      )}
    </Page>
  );
}
