import { IsOptional, Matches } from 'class-validator';
import { parseSettings } from '../../../config/settings';

export const BROKER_SETTINGS = Symbol('BROKER_SETTINGS');

/** The message broker's environment variables. No RABBITMQ_URL: events stay in-process. */
export class BrokerEnv {
  @IsOptional()
  @Matches(/^amqps?:\/\/\S+$/, { message: 'RABBITMQ_URL must be an amqp:// or amqps:// URL' })
  RABBITMQ_URL?: string;

  @IsOptional()
  @Matches(/^[\w.:-]{1,200}$/, { message: 'RABBITMQ_EXCHANGE must be 1-200 of [A-Za-z0-9_.:-]' })
  RABBITMQ_EXCHANGE = 'bookstore.events';
}

export interface BrokerSettings {
  /** Absent: no broker; integration events are delivered to in-process listeners only. */
  url?: string;
  /** A durable topic exchange, declared at connect. */
  exchange: string;
}

export function brokerSettings(raw: Record<string, unknown>): BrokerSettings {
  const env = parseSettings(BrokerEnv, raw);
  return { url: env.RABBITMQ_URL, exchange: env.RABBITMQ_EXCHANGE };
}
