import type { Options } from '@grpc/proto-loader';

/**
 * Field names exactly as in the .proto (so field violations name them as callers see them),
 * enums by name, int64 as numbers (cents stay far below 2^53), defaults filled in.
 */
export const PROTO_LOADER_OPTIONS = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
} satisfies Options;
