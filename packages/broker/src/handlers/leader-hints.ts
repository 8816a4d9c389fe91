import { ErrorCode } from '@samsa/protocol';
import type { ClusterImage } from '../metadata/cluster-image.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';

/**
 * KIP-951 leader discovery: with a NOT_LEADER_OR_FOLLOWER or FENCED_LEADER_EPOCH error, Produce
 * (v10+) and Fetch (v16+) responses name the partition's current leader and carry its address,
 * so the client can retry there without a Metadata round trip.
 */
export class LeaderHints {
  private readonly leaders = new Set<number>();
  /** Taken on the first error: responses without errors never look at the metadata. */
  private image: ClusterImage | undefined;

  constructor(
    private readonly metadata: MetadataCache,
    private readonly listenerName: string,
  ) {}

  /** The current leader to report with `errorCode`, or undefined when there is none to report. */
  currentLeader(
    topic: string,
    partition: number,
    errorCode: number,
  ): { leaderId: number; leaderEpoch: number } | undefined {
    if (errorCode !== ErrorCode.NOT_LEADER_OR_FOLLOWER && errorCode !== ErrorCode.FENCED_LEADER_EPOCH) return undefined;
    this.image ??= this.metadata.image;
    const registration = this.image.partition(topic, partition);
    if (registration === undefined || registration.leader < 0) return undefined;
    this.leaders.add(registration.leader);
    return { leaderId: registration.leader, leaderEpoch: registration.leaderEpoch };
  }

  /** The addresses of every leader reported so far, on the request's listener. */
  nodeEndpoints(): { nodeId: number; host: string; port: number; rack: string | null }[] {
    const image = this.image;
    if (image === undefined) return [];
    return [...this.leaders].flatMap((id) => {
      const broker = image.brokers.get(id);
      const endpoint = broker?.endpoints.find((e) => e.listenerName === this.listenerName);
      return broker === undefined || endpoint === undefined
        ? []
        : [{ nodeId: id, host: endpoint.host, port: endpoint.port, rack: broker.rack }];
    });
  }
}
