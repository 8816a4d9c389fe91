/** An index file failed its sanity check; the segment's indexes must be rebuilt from the log. */
export class CorruptIndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptIndexError';
  }
}
