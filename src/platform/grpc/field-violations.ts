import { Metadata, status } from '@grpc/grpc-js';
import { Root } from 'protobufjs';

/** One bad field of a request, as google.rpc.BadRequest.FieldViolation names it. */
export interface FieldViolation {
  field: string;
  description: string;
}

// The three messages of the standard rich error model (google/rpc/status.proto,
// error_details.proto), so any gRPC client's "error details" helper can read them.
const types = Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: {
              fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } },
            },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
            BadRequest: {
              fields: { field_violations: { rule: 'repeated', type: 'FieldViolation', id: 1 } },
              nested: {
                FieldViolation: {
                  fields: {
                    field: { type: 'string', id: 1 },
                    description: { type: 'string', id: 2 },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
});
const Status = types.lookupType('google.rpc.Status');
const BadRequest = types.lookupType('google.rpc.BadRequest');
const DETAILS_KEY = 'grpc-status-details-bin';

/** Trailers for INVALID_ARGUMENT carrying a google.rpc.BadRequest with the violations. */
export function badRequestMetadata(message: string, violations: FieldViolation[]): Metadata {
  const badRequest = BadRequest.encode({ field_violations: violations }).finish();
  const details = Status.encode({
    code: status.INVALID_ARGUMENT,
    message,
    details: [{ type_url: 'type.googleapis.com/google.rpc.BadRequest', value: badRequest }],
  }).finish();
  const metadata = new Metadata();
  metadata.set(DETAILS_KEY, Buffer.from(details));
  return metadata;
}

/** The violations a client received, or none (for clients: the test and `grpc:call`). */
export function fieldViolationsOf(metadata: Metadata | undefined): FieldViolation[] {
  const [raw] = metadata?.get(DETAILS_KEY) ?? [];
  if (!Buffer.isBuffer(raw)) return [];
  const decoded = Status.toObject(Status.decode(raw)) as {
    details?: Array<{ type_url: string; value: Uint8Array }>;
  };
  return (decoded.details ?? [])
    .filter((d) => d.type_url.endsWith('/google.rpc.BadRequest'))
    .flatMap(
      (d) =>
        (BadRequest.toObject(BadRequest.decode(d.value)) as { field_violations?: FieldViolation[] })
          .field_violations ?? [],
    );
}
