import type { CommandModule } from 'yargs';
import { ORDER_LINES_TOPIC } from '../../events/order-line';
import type { GlobalArgs } from '../../runtime';

export interface StreamLandArgs extends GlobalArgs {
  follow: boolean;
  group: string;
  topic: string;
}

export const streamLandCommand: CommandModule<GlobalArgs, StreamLandArgs> = {
  command: 'stream-land',
  describe: 'Land order-line events from Kafka into lake/bronze/order_lines/dataset=<id>/dt=<order date>/',
  builder: (y) =>
    y
      .option('follow', {
        type: 'boolean',
        default: false,
        describe: 'Keep consuming; by default stop at the end offsets seen at start',
      })
      .option('group', {
        type: 'string',
        default: 'sales-pipeline.stream-land',
        describe: 'Kafka consumer group (its committed offsets are the lander’s progress)',
      })
      .option('topic', { type: 'string', default: ORDER_LINES_TOPIC, describe: 'Topic of the order-line events' }),
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
