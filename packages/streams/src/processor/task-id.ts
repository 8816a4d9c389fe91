/**
 * Kafka Streams' `TaskId`: a sub-topology and a partition. Printed `<subtopology>_<partition>`,
 * which is also the name of the task's directory under `state.dir/<application.id>/`.
 */
export class TaskId {
  constructor(
    readonly subtopology: number,
    readonly partition: number,
  ) {}

  toString(): string {
    return `${this.subtopology}_${this.partition}`;
  }
}
