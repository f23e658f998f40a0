import { BenchOptionsError, parseBenchOptions } from './bench-options';

describe(parseBenchOptions.name, () => {
  it('gives the sizes and durations of the issue by default', () => {
    expect(parseBenchOptions([])).toEqual({
      json: false,
      replica: false,
      http: false,
      cpuProf: false,
      duration: 10,
      warmup: 2,
      rounds: 5,
      users: 100_000,
      sessions: 200_000,
      tableSmall: 10_000,
      tableLarge: 1_000_000,
      userSessions: 1000,
      expired: 1_000_000,
      batchSize: 1000,
    });
  });

  it('reads every option', () => {
    expect(
      parseBenchOptions(['--json', '--duration', '0.5', '--warmup', '0', '--users', '10']),
    ).toMatchObject({ json: true, duration: 0.5, warmup: 0, users: 10 });
    expect(parseBenchOptions(['--http', '--cpu-prof'])).toMatchObject({
      http: true,
      cpuProf: true,
    });
  });

  it.each([
    [['--duration', 'x'], '--duration must be a number of at least 0.01, got x'],
    [['--users', '1.5'], '--users must be an integer of at least 1, got 1.5'],
    [['--batch-size', '0'], '--batch-size must be an integer of at least 1, got 0'],
    [
      ['--table-small', '100', '--table-large', '100'],
      '--table-large must be larger than --table-small',
    ],
  ])('refuses %j with one line naming the option', (args, message) => {
    expect(() => parseBenchOptions(args)).toThrow(new BenchOptionsError(message));
  });

  it('refuses an unknown option', () => {
    expect(() => parseBenchOptions(['--fast'])).toThrow(/^Unknown option '--fast'/);
  });
});
