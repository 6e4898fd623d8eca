/**
 * Standard Schema v1 (standardschema.dev), copied as its authors intend, so that a schema of
 * zod, valibot, arktype or any other library that implements it can declare an attribute.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<{ readonly message: string }> };

/** What a stored value must be: a Standard Schema, or a type guard. */
export type AttributeSchema<T> = StandardSchemaV1<unknown, T> | ((value: unknown) => value is T);

/** The outcome of checking a stored value: the value to use, or why it is unusable. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * A named session attribute and the type of its value. A stored value that fails the schema is
 * dropped whole: the handler sees it absent and the request's save removes it.
 */
export interface SessionAttribute<T> {
  readonly name: string;
  readonly check: (value: unknown) => Checked<T>;
}

const unchecked = <T>(value: unknown): Checked<T> => ({ ok: true, value: value as T });

/** Declares an attribute; without a schema any JSON value is accepted as `T`. */
export function sessionAttribute<T>(
  name: string,
  schema?: AttributeSchema<T>,
): SessionAttribute<T> {
  if (!schema) return { name, check: unchecked };
  if (typeof schema === 'function') {
    return {
      name,
      check: (value) =>
        schema(value) ? { ok: true, value } : { ok: false, problem: 'not of the declared type' },
    };
  }
  const validate = schema['~standard'].validate;
  return {
    name,
    check: (value) => {
      const result = validate(value);
      if (result instanceof Promise) throw new Error(`Session attribute '${name}': async schema`);
      if (!result.issues) return { ok: true, value: result.value };
      return { ok: false, problem: result.issues.map((i) => i.message).join('; ') };
    },
  };
}

/** The principal (user name): the attribute behind `HttpSession.principal` and the index. */
export const PRINCIPAL = sessionAttribute<string>(
  'principalName',
  (v): v is string => typeof v === 'string' && v.length > 0,
);

/** A stored JSON text as the attribute's value, parsed and checked. */
export function decodeAttribute<T>(attribute: SessionAttribute<T>, json: string): Checked<T> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  return attribute.check(value);
}

/** Where a login happened, recorded with it: what "my sessions" shows, and the session's handle. */
export interface SessionDevice {
  /** Random, stored in the session: names it to its owner without revealing its id. */
  handle: string;
  userAgent: string;
  address: string;
}

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

export const DEVICE = sessionAttribute<SessionDevice>('sessionDevice', (v): v is SessionDevice => {
  const d = v as Partial<SessionDevice> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    isText(d.handle, 64) &&
    d.handle.length > 0 &&
    isText(d.userAgent, 256) &&
    isText(d.address, 64)
  );
});
