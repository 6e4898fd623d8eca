import { CartItem } from '../api';
import { link } from '../router';
import { clearCart, removeLine, setQuantity } from '../shop';
import { ActionButton, Alert, Cover, formatMoney, Page, WithCart, TableHead } from '../ui';
import { useState } from 'preact/hooks';

export function CartPage() {
  return (
    <Page title="Your cart">
      <WithCart>
        {(current) => (
          <>
            <table class="lines">
              <TableHead
                caption="Books in your cart"
                columns={['Book', 'Price', 'Quantity', 'Subtotal']}
                actions
              />
              <tbody>
                {current.items.map((item) => (
                  <CartLine key={item.code} item={item} />
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={3}>
                    Total ({current.itemCount} items)
                  </th>
                  <td data-testid="cart-total">{formatMoney(current.totalAmount)}</td>
                  <td />
                </tr>
              </tfoot>
            </table>
            <div class="actions">
              <ActionButton class="secondary" onClick={clearCart}>
                Clear cart
              </ActionButton>
              <a class="button" href={link.checkout()}>
                Checkout
              </a>
            </div>
          </>
        )}
      </WithCart>
    </Page>
  );
}

function CartLine({ item }: { item: CartItem }) {
  const [error, setError] = useState<unknown>(null);
  const id = `qty-${item.code}`;
  const change = (value: string) => {
    setError(null);
    setQuantity(item.code, Number(value)).catch(setError);
  };
  return (
    <tr>
      <td class="book">
        <Cover code={item.code} size="small" />
        <a href={link.product(item.code)}>{item.name}</a>
      </td>
      <td>{formatMoney(item.price)}</td>
      <td>
        <label for={id} class="sr-only">
          Quantity of {item.name}
        </label>
        <input
          id={id}
          type="number"
          min={1}
          max={99}
          value={item.quantity}
          onChange={(e) => change(e.currentTarget.value)}
        />
        <Alert error={error} />
      </td>
      <td>{formatMoney(item.subtotal)}</td>
      <td>
        <ActionButton class="secondary" onClick={() => removeLine(item.code, item.name)}>
          Remove<span class="sr-only"> {item.name}</span>
        </ActionButton>
      </td>
    </tr>
  );
}
