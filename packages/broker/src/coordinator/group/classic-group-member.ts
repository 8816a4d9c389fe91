import type { JoinGroupResponseInput, SyncGroupResponseInput } from '@samsa/protocol';
import type { Responder } from './operation-result.js';

/** One protocol a member supports (e.g. an assignor name) with its opaque metadata. */
export interface GroupProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

const EMPTY_ASSIGNMENT: Buffer = Buffer.alloc(0);

/**
 * A member of a classic group. `memberId` changes only when a static member is replaced by a
 * restarted instance; `supportedProtocols` keeps the member's preference order (the JoinGroup
 * order), which protocol votes use.
 *
 * Invariant: `awaitingJoin` is set only while the group is PreparingRebalance (or in the
 * operation completing it); `awaitingSync` only while CompletingRebalance. Both are transient:
 * a loaded member has neither.
 */
export class ClassicGroupMember {
  assignment: Buffer = EMPTY_ASSIGNMENT;
  awaitingJoin: Responder<JoinGroupResponseInput> | undefined;
  awaitingSync: Responder<SyncGroupResponseInput> | undefined;
  /**
   * True from the member's first JoinGroup until its first rebalance completes: such a member has
   * no heartbeat to miss yet, so its deadline is the new-member join timeout instead.
   */
  isNew = false;

  constructor(
    public memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public supportedProtocols: readonly GroupProtocol[],
  ) {}

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== undefined;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSync !== undefined;
  }

  /** The metadata of one of the member's protocols; the group only asks for the selected one. */
  metadata(protocolName: string): Buffer {
    const protocol = this.supportedProtocols.find((p) => p.name === protocolName);
    if (protocol === undefined) throw new Error(`member ${this.memberId} does not support protocol ${protocolName}`);
    return protocol.metadata;
  }

  /** Same protocols, same order, same metadata bytes: a rejoin that changes nothing. */
  matches(protocols: readonly GroupProtocol[]): boolean {
    if (protocols.length !== this.supportedProtocols.length) return false;
    return protocols.every((p, i) => {
      const mine = this.supportedProtocols[i] as GroupProtocol;
      return p.name === mine.name && p.metadata.equals(mine.metadata);
    });
  }

  /** The member's most preferred protocol among `candidates` (those every member supports). */
  vote(candidates: ReadonlySet<string>): string {
    const choice = this.supportedProtocols.find((p) => candidates.has(p.name));
    if (choice === undefined) throw new Error(`member ${this.memberId} supports none of the candidate protocols`);
    return choice.name;
  }

  /**
   * Whether a heartbeat deadline passing is harmless: a member parked in JoinGroup or SyncGroup
   * cannot heartbeat, so it is not failed for that (unless it is new, whose deadline is the join
   * timeout).
   */
  hasSatisfiedHeartbeat(): boolean {
    if (this.isNew) return false;
    return this.isAwaitingJoin || this.isAwaitingSync;
  }

  clone(): ClassicGroupMember {
    const copy = new ClassicGroupMember(
      this.memberId,
      this.groupInstanceId,
      this.clientId,
      this.clientHost,
      this.rebalanceTimeoutMs,
      this.sessionTimeoutMs,
      this.protocolType,
      this.supportedProtocols,
    );
    copy.assignment = this.assignment;
    copy.awaitingJoin = this.awaitingJoin;
    copy.awaitingSync = this.awaitingSync;
    copy.isNew = this.isNew;
    return copy;
  }
}
