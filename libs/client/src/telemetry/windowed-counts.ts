// Per-topic record counts per fixed time window (one minute by default), reported in
// heartbeats so the auditor can compare hops and a topic move can see who still produces.
export interface WindowCount {
  topic: string;
  /** Window start, ms since epoch, aligned to the window size. */
  windowStart: number;
  count: number;
}

export class WindowedCounts {
  private readonly windows = new Map<number, Map<string, number>>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly keepWindows = 10,
    private readonly now: () => number = Date.now,
  ) {}

  add(topic: string, count: number): void {
    const start = Math.floor(this.now() / this.windowMs) * this.windowMs;
    let window = this.windows.get(start);
    if (!window) {
      window = new Map();
      this.windows.set(start, window);
      this.prune(start);
    }
    window.set(topic, (window.get(topic) ?? 0) + count);
  }

  /** Counts of the retained windows, oldest first. */
  snapshot(): WindowCount[] {
    return [...this.windows.entries()]
      .sort(([a], [b]) => a - b)
      .flatMap(([windowStart, topics]) => [...topics.entries()].map(([topic, count]) => ({ topic, windowStart, count })));
  }

  topics(): string[] {
    const all = new Set<string>();
    for (const window of this.windows.values()) for (const topic of window.keys()) all.add(topic);
    return [...all].sort();
  }

  private prune(latest: number): void {
    const oldest = latest - (this.keepWindows - 1) * this.windowMs;
    for (const start of this.windows.keys()) if (start < oldest) this.windows.delete(start);
  }
}
