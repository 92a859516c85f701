import type { Argv, CommandModule } from 'yargs';
import { ORDER_LINES_TOPIC } from '../../events/order-line';
import type { GlobalArgs } from '../../runtime';

export interface StreamLandArgs extends GlobalArgs {
  follow: boolean;
  group: string;
  topic: string;
  maxRestarts: number;
  stallSeconds: number;
  pollMs: number;
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
      .option('topic', { type: 'string', default: ORDER_LINES_TOPIC, describe: 'Topic of the order-line events' })
      .option('max-restarts', {
        type: 'number',
        default: 5,
        describe: 'Consumer restarts after a failure (of S3 or Kafka) before the step fails naming the sink',
      })
      .option('stall-seconds', {
        type: 'number',
        default: 300,
        describe:
          "Fail when the group's committed offsets have not moved for this long (above the producers' 60 s transaction timeout)",
      })
      .option('poll-ms', {
        type: 'number',
        default: 2_000,
        hidden: true,
        describe: "How often the group's committed offsets are read",
      })
      .check((a) => {
        if (!(Number.isInteger(a['max-restarts']) && (a['max-restarts'] as number) >= 0))
          throw new Error('--max-restarts must be a whole number >= 0');
        if (!((a['stall-seconds'] as number) > 0)) throw new Error('--stall-seconds must be > 0');
        return true;
      }) as unknown as Argv<StreamLandArgs>,
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
