import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../../runtime';

interface DoctorArgs extends GlobalArgs {
  only?: string[] | undefined;
}

export const doctorCommand: CommandModule<GlobalArgs, DoctorArgs> = {
  command: 'doctor',
  describe: 'Check that every service of the profile answers (warehouse, Kafka, S3, SMTP)',
  builder: (y) =>
    y.option('only', {
      type: 'string',
      array: true,
      choices: ['warehouse', 'kafka', 's3', 'smtp'],
      describe: 'Check only these services',
    }),
  handler: async (args) => {
    const { run } = await import('./index');
    await run(args);
  },
};
