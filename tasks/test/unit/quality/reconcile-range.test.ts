import { runGate } from '../../../src/commands/quality-gate/gate';
import { createLogger } from '../../../src/logger';
import type { LayerFacts } from '../../../src/quality/reconcile';
import { loadSuite } from '../../../src/quality/suite';
import { ResultBuilder } from '../../../src/result';
import type { StepContext } from '../../../src/runtime';
import { memoryS3 } from '../memory-s3';

const D = 'range-ds';
const DAYS = ['2022-04-28', '2022-04-29', '2022-04-30'];
const PUBLISHED: Record<string, number> = { '2022-04-28': 11, '2022-04-29': 22, '2022-04-30': 33 };

/** The producer's markers, a different count per day, so each day's facts are told apart. */
function markers(): Record<string, string> {
  return Object.fromEntries(
    DAYS.map((d) => [
      `runs/stream-produce/produced/dataset=${D}/dt=${d}/content.json`,
      JSON.stringify({ events: PUBLISHED[d], deadLettered: 1 }),
    ]),
  );
}

/** The context a gate run uses, as `quality-gate --dt <first> --to <last>` builds it: one result. */
function context(first: string): StepContext {
  return {
    step: 'quality-gate',
    dt: first,
    config: { runId: 'range-run', s3: { bucket: 'b' } },
    logger: createLogger('silent'),
    result: new ResultBuilder('quality-gate', 'range-run', first, 'local'),
    throwIfStopped: () => undefined,
  } as unknown as StepContext;
}

/** What the command's loop does: the gate once per date, one context. */
async function gateRange(ctx: StepContext, days: string[]) {
  const suite = loadSuite('reconcile_order_lines');
  // The facts fail the suite (no warehouse), so the gate uploads its quarantine with lib-storage,
  // which asks the client's config for an endpoint.
  const endpoint = async () => ({ protocol: 'http:', hostname: 'memory', port: '', path: '/' });
  const s3 = Object.assign(memoryS3(markers()), { config: { endpoint, forcePathStyle: true } });
  const noPool = () => {
    throw new Error('no warehouse in a unit test');
  };
  for (const dt of days) {
    await runGate(ctx, s3, noPool, { suite, dt, dataset: D, source: `reconcile:${D}` }, false);
  }
  return ctx.result.result.details;
}

describe('the reconcile gate over a range', () => {
  it("keeps every date's layer facts in the one result, each under its own date", async () => {
    const details = await gateRange(context(DAYS[0]!), DAYS);
    const byDay = details.reconciliationByDay as Record<string, LayerFacts>;
    expect(Object.keys(byDay)).toEqual(DAYS);
    for (const d of DAYS) {
      expect(byDay[d]).toMatchObject({
        dataset: D,
        dt: d,
        topic_events: PUBLISHED[d],
        produced_rows: PUBLISHED[d]! + 1,
      });
    }
    // The result is keyed by its first date: `reconciliation` is that date's, not the last one's.
    expect(details.reconciliation).toEqual(byDay[DAYS[0]!]);
  });

  it('for a single date, both fields carry that date', async () => {
    const details = await gateRange(context('2022-04-29'), ['2022-04-29']);
    expect(details.reconciliation).toMatchObject({ dt: '2022-04-29', topic_events: 22 });
    expect(details.reconciliationByDay).toEqual({ '2022-04-29': details.reconciliation });
  });
});
