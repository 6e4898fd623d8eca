import { useEffect, useState } from 'preact/hooks';
import { api, Order } from '../api';
import { link } from '../router';
import { cancellable, cancelOrder } from '../shop';
import { useLoad } from '../store';
import { ActionButton, Alert, formatDate, formatMoney, Loading, Page, TableHead } from '../ui';

export function OrderPage({ orderNumber, placed }: { orderNumber: string; placed: boolean }) {
  const loaded = useLoad(
    () => api<Order>('GET', `/api/orders/${encodeURIComponent(orderNumber)}`),
    [orderNumber],
  );
  const [order, setOrder] = useState<Order | undefined>();
  useEffect(() => setOrder(loaded.data), [loaded.data]);
  return (
    <Page title={placed ? 'Thank you for your order' : `Order ${orderNumber}`}>
      {placed && (
        <p class="success">
          Order <strong data-testid="order-number">{orderNumber}</strong> is placed. We will send a
          confirmation to your email.
        </p>
      )}
      <Alert error={loaded.error} />
      {order ? <OrderDetails order={order} onCancelled={setOrder} /> : !loaded.error && <Loading />}
      <p>
        <a href={link.orders()}>All your orders</a> · <a href={link.catalog()}>Keep shopping</a>
      </p>
    </Page>
  );
}

function OrderDetails({ order, onCancelled }: { order: Order; onCancelled: (o: Order) => void }) {
  return (
    <section aria-label="Order details">
      <dl class="facts">
        <dt>Status</dt>
        <dd data-testid="order-status">{order.status}</dd>
        <dt>Placed</dt>
        <dd>{formatDate(order.createdAt)}</dd>
        <dt>Customer</dt>
        <dd>
          {order.customer.name}, {order.customer.email}, {order.customer.phone}
        </dd>
        <dt>Delivery address</dt>
        <dd>{order.deliveryAddress}</dd>
      </dl>
      <table class="lines">
        <TableHead
          caption="Books in this order"
          columns={['Book', 'Price', 'Quantity', 'Subtotal']}
        />
        <tbody>
          {order.items.map((item) => (
            <tr key={item.code}>
              <td>
                <a href={link.product(item.code)}>{item.name}</a>
              </td>
              <td>{formatMoney(item.price)}</td>
              <td>{item.quantity}</td>
              <td>{formatMoney(item.subtotal)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Total
            </th>
            <td>{formatMoney(order.totalAmount)}</td>
          </tr>
        </tfoot>
      </table>
      {cancellable(order.status) && (
        <ActionButton
          class="secondary"
          onClick={async () => onCancelled(await cancelOrder(order.orderNumber))}
        >
          Cancel this order
        </ActionButton>
      )}
    </section>
  );
}
