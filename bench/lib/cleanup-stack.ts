// What a benchmark started, stopped in reverse order when the run ends, fails or is interrupted
// (Ctrl-C, SIGTERM): brokers, servers and child processes must not outlive it. Every step runs
// even when an earlier one fails; the failures are reported, not thrown, so the run's own
// error stays the one that is shown.
export class CleanupStack {
  private readonly steps: { what: string; run: () => Promise<void> | void }[] = [];
  private running: Promise<void> | undefined;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.progress(`${signal}: stopping what the benchmark started`);
    void this.run().finally(() => process.exit(130));
  };

  constructor(private readonly progress: (line: string) => void) {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  push(what: string, run: () => Promise<void> | void): void {
    this.steps.push({ what, run });
  }

  /** Runs every step once, newest first; later calls wait for the same run. */
  run(): Promise<void> {
    this.running ??= (async () => {
      process.off('SIGINT', this.onSignal);
      process.off('SIGTERM', this.onSignal);
      for (const step of this.steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          this.progress(`cleanup: ${step.what} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.running;
  }
}
