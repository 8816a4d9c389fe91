/**
 * Runs tasks one at a time per key, in submission order; tasks of different keys run
 * concurrently. A failing task does not stop the ones queued after it.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      // The last task of the key: drop the entry so idle keys cost nothing.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
