// partitionsConsumedConcurrently: how many partitions' handlers may run at once, over every
// cluster a consumer reads. Transports hand batches of different partitions out concurrently; a
// batch waits here for a free slot, in arrival order, so with one slot (KafkaJS' default) the
// application's handler never runs twice at once.
export class HandlerSlots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(slots: number) {
    this.#free = slots;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so none can be overtaken by a newcomer.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    }
  }
}
