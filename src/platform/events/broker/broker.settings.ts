import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { toInt, toMilliseconds } from '../../../config/env-transforms';
import { parseSettings } from '../../../config/settings';

export const BROKER_SETTINGS = Symbol('BROKER_SETTINGS');

const NAME = /^[\w.:-]{1,200}$/;
const nameMessage = (variable: string) => `${variable} must be 1-200 of [A-Za-z0-9_.:-]`;

/** The message broker's environment variables. No RABBITMQ_URL: events stay in-process. */
export class BrokerEnv {
  @IsOptional()
  @Matches(/^amqps?:\/\/\S+$/, { message: 'RABBITMQ_URL must be an amqp:// or amqps:// URL' })
  RABBITMQ_URL?: string;

  @IsOptional()
  @Matches(NAME, { message: nameMessage('RABBITMQ_EXCHANGE') })
  RABBITMQ_EXCHANGE = 'bookstore.events';

  @IsOptional()
  @Matches(NAME, { message: nameMessage('RABBITMQ_QUEUE') })
  RABBITMQ_QUEUE = 'bookstore.order-events';

  /** Absent: `<RABBITMQ_QUEUE>.dlq`. */
  @IsOptional()
  @Matches(NAME, { message: nameMessage('RABBITMQ_DLQ') })
  RABBITMQ_DLQ?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'RABBITMQ_MAX_ATTEMPTS must be an integer from 1 to 10' })
  @Min(1, { message: 'RABBITMQ_MAX_ATTEMPTS must be an integer from 1 to 10' })
  @Max(10, { message: 'RABBITMQ_MAX_ATTEMPTS must be an integer from 1 to 10' })
  RABBITMQ_MAX_ATTEMPTS = 5;

  @IsOptional()
  @Transform(toMilliseconds)
  @IsInt({ message: 'RABBITMQ_RETRY_DELAY must be a duration from 10ms to 1h, e.g. 500ms or 2s' })
  @Min(10, { message: 'RABBITMQ_RETRY_DELAY must be a duration from 10ms to 1h' })
  @Max(3_600_000, { message: 'RABBITMQ_RETRY_DELAY must be a duration from 10ms to 1h' })
  RABBITMQ_RETRY_DELAY: number = 1_000;
}

/** Where the app's own consumer takes its messages from, and how it retries them. */
export interface ConsumerQueues {
  /** Durable, bound to the exchange with the routing keys the app subscribes to. */
  queue: string;
  /** Messages that failed `maxAttempts` times, kept until an operator replays or drops them. */
  deadLetterQueue: string;
  maxAttempts: number;
  /** Before attempt k + 1 a message waits retryDelayMs × 4^(k-1), in queue `<queue>.retry.<k>`. */
  retryDelayMs: number;
}

export interface BrokerSettings {
  /** Absent: no broker; integration events are delivered to in-process listeners only. */
  url?: string;
  /** A durable topic exchange, declared at connect. */
  exchange: string;
  consumer: ConsumerQueues;
}

export function brokerSettings(raw: Record<string, unknown>): BrokerSettings {
  const env = parseSettings(BrokerEnv, raw);
  return {
    url: env.RABBITMQ_URL,
    exchange: env.RABBITMQ_EXCHANGE,
    consumer: {
      queue: env.RABBITMQ_QUEUE,
      deadLetterQueue: env.RABBITMQ_DLQ ?? `${env.RABBITMQ_QUEUE}.dlq`,
      maxAttempts: env.RABBITMQ_MAX_ATTEMPTS,
      retryDelayMs: env.RABBITMQ_RETRY_DELAY,
    },
  };
}
