import type { Logger } from '@nestjs/common';
import { ChannelModel, connect } from 'amqplib';

const CONNECT_TIMEOUT_MS = 5_000;

/** One AMQP connection, named in the broker's UI, whose errors are logged (not thrown). */
export async function openBrokerConnection(
  url: string,
  name: string,
  logger: Logger,
): Promise<ChannelModel> {
  const model = await connect(url, {
    timeout: CONNECT_TIMEOUT_MS,
    clientProperties: { connection_name: name },
  });
  model.on('error', (err: Error) => logger.warn(`Broker connection error: ${err.message}`));
  return model;
}
