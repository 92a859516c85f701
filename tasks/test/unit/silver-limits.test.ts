import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LIMITS } from '../../src/warehouse/silver/limits';

describe('the transform enforces the warehouse limits', () => {
  it("glue's limits rule has every warehouse text limit, the same number of characters", () => {
    const py = readFileSync(path.resolve(__dirname, '../../../glue/jobs/order_lines/rules/limits.py'), 'utf8');
    const block = /LIMITS = \{([^}]*)\}/.exec(py)![1]!;
    const glue = Object.fromEntries([...block.matchAll(/"(\w+)": (\d+)/g)].map((m) => [m[1], Number(m[2])]));
    expect(glue).toEqual(LIMITS);
  });
});
