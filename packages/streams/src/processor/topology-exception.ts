/** Kafka Streams' `TopologyException`: an invalid topology, found while it is built. */
export class TopologyException extends Error {
  override readonly name = 'TopologyException';

  constructor(message: string) {
    super(`Invalid topology: ${message}`);
  }
}

/** Kafka Streams' `StreamsException`: a failure while processing, wrapping its cause. */
export class StreamsException extends Error {
  override readonly name = 'StreamsException';
}
