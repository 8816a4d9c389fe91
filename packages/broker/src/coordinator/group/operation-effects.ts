import type { CoordinatorRecord } from '../coordinator-log.js';
import type { Completion, Responder } from './operation-result.js';

/**
 * What one state-machine operation produces while it runs: the records to append (each replayed
 * into the shard the moment it is produced, so that the rest of the operation sees its effect),
 * the answers to parked requests, and optionally how to compensate if the append fails.
 */
export class OperationEffects {
  readonly records: CoordinatorRecord[] = [];
  readonly completions: Completion[] = [];
  /**
   * Runs, on the state restored to before the operation, when the append fails; returns the
   * origin's response. Operations without one fall back to their default failure response.
   */
  compensation: ((effects: OperationEffects, errorCode: number) => unknown) | undefined;

  constructor(
    readonly nowMs: number,
    private readonly replay: (record: CoordinatorRecord) => void,
  ) {}

  append(record: CoordinatorRecord): void {
    this.records.push(record);
    this.replay(record);
  }

  complete<T>(responder: Responder<T>, response: T): void {
    this.completions.push({ responder, response });
  }

  onAppendFailure(compensation: (effects: OperationEffects, errorCode: number) => unknown): void {
    this.compensation = compensation;
  }
}
