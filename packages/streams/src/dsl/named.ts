/** Kafka Streams' `Named`: a processor name chosen by the user instead of a generated one. */
export class Named {
  private constructor(readonly name: string) {}

  static as(name: string): Named {
    return new Named(name);
  }
}
