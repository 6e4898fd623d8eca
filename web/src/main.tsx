import { render } from 'preact';
import { Layout } from './layout';
import { CartPage } from './pages/cart';
import { CatalogPage } from './pages/catalog';
import { CheckoutPage } from './pages/checkout';
import { LoginPage } from './pages/login';
import { OrderPage } from './pages/order';
import { OrdersPage } from './pages/orders';
import { ProductPage } from './pages/product';
import { RecentPage } from './pages/recent';
import { SessionsPage } from './pages/sessions';
import { link, parse, Route, useHash } from './router';
import { loadCart, loadUser, notice, user } from './shop';
import { useStore } from './store';
import { errorText } from './api';
import { startLiveCart } from './live';
import { Page } from './ui';
import './styles.css';

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'catalog':
      return <CatalogPage page={route.page} />;
    case 'product':
      return <ProductPage code={route.code} />;
    case 'cart':
      return <CartPage />;
    case 'checkout':
      return <CheckoutPage />;
    case 'order':
      return <OrderPage orderNumber={route.orderNumber} placed={route.placed} />;
    case 'orders':
      return <OrdersPage page={route.page} />;
    case 'login':
      return <LoginPage next={route.next} />;
    case 'sessions':
      return <SessionsPage />;
    case 'recent':
      return <RecentPage />;
    case 'missing':
      return (
        <Page title="Page not found">
          <a href={link.catalog()}>Go to the catalog</a>
        </Page>
      );
  }
}

function App() {
  const hash = useHash();
  const username = useStore(user) ?? '';
  // A new page, or the same one after logging in or out, starts afresh: nothing of the
  // previous visitor stays on screen, and the heading takes the focus.
  return (
    <Layout>
      <Screen key={`${hash} ${username}`} route={parse(hash)} />
    </Layout>
  );
}

render(<App />, document.getElementById('app')!);
Promise.all([loadUser(), loadCart()]).catch((error: unknown) => notice.set(errorText(error)));
startLiveCart();
