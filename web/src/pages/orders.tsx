import { useState } from 'preact/hooks';
import { api, OrderSummary, Page as Paged } from '../api';
import { link } from '../router';
import { cancellable, cancelOrder } from '../shop';
import { useLoad } from '../store';
import {
  ActionButton,
  Alert,
  formatDate,
  formatMoney,
  Loading,
  Page,
  Pager,
  TableHead,
} from '../ui';

export function OrdersPage({ page }: { page: number }) {
  const { data, error } = useLoad(
    () => api<Paged<OrderSummary>>('GET', `/api/orders?page=${page}&pageSize=10`),
    [page],
  );
  return (
    <Page title="Your orders">
      <Alert error={error} />
      {!data ? (
        !error && <Loading />
      ) : data.data.length === 0 ? (
        <p>
          No orders yet. <a href={link.catalog()}>Browse the catalog</a>.
        </p>
      ) : (
        <>
          <table class="lines">
            <TableHead
              caption="Your orders, newest first"
              columns={['Order', 'Placed', 'Status', 'Total']}
              actions
            />
            <tbody>
              {data.data.map((order) => (
                <OrderRow key={order.orderNumber} order={order} />
              ))}
            </tbody>
          </table>
          <Pager page={data.pageNumber} totalPages={data.totalPages} href={link.orders} />
        </>
      )}
    </Page>
  );
}

function OrderRow({ order }: { order: OrderSummary }) {
  const [status, setStatus] = useState(order.status);
  const cancel = async () => setStatus((await cancelOrder(order.orderNumber)).status);
  return (
    <tr>
      <td>
        <a href={link.order(order.orderNumber)}>{order.orderNumber}</a>
      </td>
      <td>{formatDate(order.createdAt)}</td>
      <td data-testid="order-status">{status}</td>
      <td>{formatMoney(order.totalAmount)}</td>
      <td>
        {cancellable(status) && (
          <ActionButton class="secondary" onClick={cancel}>
            Cancel<span class="sr-only"> order {order.orderNumber}</span>
          </ActionButton>
        )}
      </td>
    </tr>
  );
}
