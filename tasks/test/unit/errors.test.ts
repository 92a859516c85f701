import {
  ConfigError,
  exitCodeFor,
  GateFailedError,
  InputRejectedError,
  InterruptedError,
  ServiceError,
} from '../../src/errors';

describe('exitCodeFor', () => {
  it.each([
    [new InputRejectedError('bad header'), 1],
    [new GateFailedError('suite failed'), 1],
    [new ConfigError('WAREHOUSE_PASSWORD is not set'), 2],
    [new ServiceError('broker down'), 3],
    [new TypeError('bug'), 3],
    ['a thrown string', 3],
    [new InterruptedError('SIGTERM'), 143],
    [new InterruptedError('SIGINT'), 130],
  ])('maps %p to %i', (error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });

  it('keeps the cause and the retriable flag', () => {
    const cause = new Error('ECONNRESET');
    const e = new ServiceError('upload failed', { cause, retriable: true, details: { key: 'raw/a.csv' } });
    expect(e.cause).toBe(cause);
    expect(e.retriable).toBe(true);
    expect(e.details).toEqual({ key: 'raw/a.csv' });
    expect(e.name).toBe('ServiceError');
  });
});
