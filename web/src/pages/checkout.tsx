import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { link, navigate } from '../router';
import { loadCart } from '../shop';
import { Alert, formatMoney, Page, WithCart } from '../ui';

const FIELDS = [
  { name: 'customer.name', label: 'Full name', autocomplete: 'name', type: 'text' },
  { name: 'customer.email', label: 'Email', autocomplete: 'email', type: 'email' },
  { name: 'customer.phone', label: 'Phone', autocomplete: 'tel', type: 'tel' },
  { name: 'deliveryAddress', label: 'Delivery address', autocomplete: 'street-address' },
] as const;
type Field = (typeof FIELDS)[number]['name'];
type Values = Record<Field, string>;

const EMPTY: Values = {
  'customer.name': '',
  'customer.email': '',
  'customer.phone': '',
  deliveryAddress: '',
};

export function CheckoutPage() {
  return (
    <Page title="Checkout">
      <WithCart>
        {(current) => (
          <>
            <p>
              {current.itemCount} items, {formatMoney(current.totalAmount)} in all.{' '}
              <a href={link.cart()}>Change the cart</a>
            </p>
            <CheckoutForm />
          </>
        )}
      </WithCart>
    </Page>
  );
}

function CheckoutForm() {
  const [values, setValues] = useState<Values>(EMPTY);
  const [fieldErrors, setFieldErrors] = useState<Partial<Values>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // A retry of the same order (after a lost answer) carries the same key: never a second order.
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    const body = {
      customer: {
        name: values['customer.name'],
        email: values['customer.email'],
        phone: values['customer.phone'],
      },
      deliveryAddress: values.deliveryAddress,
    };
    const json = JSON.stringify(body);
    if (attempt.current?.body !== json) attempt.current = { body: json, key: crypto.randomUUID() };
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const { orderNumber } = await api<{ orderNumber: string }>('POST', '/api/orders', body, {
        'Idempotency-Key': attempt.current.key,
      });
      attempt.current = null;
      await loadCart();
      navigate(link.order(orderNumber, true));
    } catch (e) {
      setBusy(false);
      const errors = e instanceof ApiError ? fieldErrorsOf(e) : {};
      setFieldErrors(errors);
      setError(
        Object.keys(errors).length > 0 ? new Error('Please correct the fields marked below.') : e,
      );
      if (Object.keys(errors).length > 0) {
        form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      }
    }
  };

  return (
    <form ref={form} class="checkout" onSubmit={(e) => void submit(e)} noValidate>
      <Alert error={error} />
      {FIELDS.map((field) => {
        const id = field.name.replace('.', '-');
        const message = fieldErrors[field.name];
        const input = {
          id,
          name: field.name,
          autocomplete: field.autocomplete,
          required: true,
          value: values[field.name],
          'aria-invalid': message ? ('true' as const) : undefined,
          'aria-describedby': message ? `${id}-error` : undefined,
          onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
            setValues({ ...values, [field.name]: e.currentTarget.value }),
        };
        return (
          <div class="field" key={field.name}>
            <label for={id}>{field.label}</label>
            {'type' in field ? (
              <input type={field.type} {...input} />
            ) : (
              <textarea rows={3} {...input} />
            )}
            {message && (
              <p id={`${id}-error`} class="field-error">
                {message}
              </p>
            )}
          </div>
        );
      })}
      <button type="submit" disabled={busy}>
        Place order
      </button>
    </form>
  );
}

/** The API's validation details (`{field, message}`), by form field. */
function fieldErrorsOf(error: ApiError): Partial<Values> {
  const errors: Partial<Values> = {};
  for (const { field, message } of error.details) {
    const known = FIELDS.find((f) => f.name === field || field.startsWith(`${f.name}.`));
    if (known) errors[known.name] ??= message;
  }
  return errors;
}
