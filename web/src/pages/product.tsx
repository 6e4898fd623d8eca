import { useState } from 'preact/hooks';
import { api, Product } from '../api';
import { link } from '../router';
import { addToCart } from '../shop';
import { useLoad } from '../store';
import { Alert, Cover, formatMoney, Loading, Page, useAction } from '../ui';

export function ProductPage({ code }: { code: string }) {
  const { data, error } = useLoad(
    () => api<Product>('GET', `/api/products/${encodeURIComponent(code)}`),
    [code],
  );
  return (
    <Page title={data?.name ?? 'Book'}>
      <Alert error={error} />
      {data ? <ProductDetails product={data} /> : !error && <Loading />}
      <p>
        <a href={link.catalog()}>← Back to the catalog</a>
      </p>
    </Page>
  );
}

function ProductDetails({ product }: { product: Product }) {
  const [quantity, setQuantity] = useState('1');
  const { busy, error, run } = useAction(() =>
    addToCart(product.code, product.name, Number(quantity)),
  );
  return (
    <div class="product">
      <Cover code={product.code} size="large" />
      <div>
        <p class="price">{formatMoney(product.price)}</p>
        <p>{product.description}</p>
        <form class="add" onSubmit={run}>
          <label for="quantity">Quantity</label>
          <input
            id="quantity"
            type="number"
            min={1}
            max={99}
            value={quantity}
            onInput={(e) => setQuantity(e.currentTarget.value)}
          />
          <button type="submit" disabled={busy}>
            Add to cart
          </button>
        </form>
        <Alert error={error} />
      </div>
    </div>
  );
}
