/**
 * Kafka Streams' `StateStore`: a named store a task owns. `persistent()` stores keep their data in
 * the task's directory and a `.checkpoint` of changelog offsets, so a restart restores only the
 * changelog's tail; in-memory stores are rebuilt from the whole changelog.
 */
export interface StateStore {
  name(): string;
  persistent(): boolean;
  isOpen(): boolean;
  flush(): void;
  close(): void;
}
