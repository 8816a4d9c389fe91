/** An error class, or an error `name` (for errors that cross a boundary as plain objects). */
export type ErrorType = (abstract new (...args: never[]) => Error) | string;

/**
 * Spring's defaults: errors retrying cannot fix (the record itself is bad, or the listener's
 * signature does not fit it). Matched by name, so that equivalents from any library count.
 */
const DEFAULT_NOT_RETRYABLE: readonly string[] = [
  'DeserializationException',
  'MessageConversionException',
  'ConversionException',
  'MethodArgumentResolutionException',
  'NoSuchMethodException',
  'ClassCastException',
];

function matches(error: Error, type: ErrorType): boolean {
  return typeof type === 'string' ? error.name === type : error instanceof type;
}

/**
 * Decides whether an error is worth retrying (Spring's ExceptionClassifier): walks the cause
 * chain and answers the classification of the first error that has one, else the default.
 */
export class ExceptionClassifier {
  private readonly classified = new Map<ErrorType, boolean>();
  private defaultRetryable = true;

  constructor() {
    for (const name of DEFAULT_NOT_RETRYABLE) this.classified.set(name, false);
  }

  addNotRetryableExceptions(...types: ErrorType[]): void {
    for (const t of types) this.classified.set(t, false);
  }

  addRetryableExceptions(...types: ErrorType[]): void {
    for (const t of types) this.classified.set(t, true);
  }

  removeClassification(type: ErrorType): boolean | undefined {
    const was = this.classified.get(type);
    this.classified.delete(type);
    return was;
  }

  /** Replaces every classification (Spring's setClassifications). */
  setClassifications(classifications: ReadonlyMap<ErrorType, boolean>, defaultRetryable: boolean): void {
    this.classified.clear();
    for (const [t, retryable] of classifications) this.classified.set(t, retryable);
    this.defaultRetryable = defaultRetryable;
  }

  /** Makes every error not retryable unless classified otherwise (Spring's defaultFalse()). */
  defaultFalse(): void {
    this.defaultRetryable = false;
  }

  isRetryable(error: Error): boolean {
    const seen = new Set<unknown>();
    let e: unknown = error;
    while (e instanceof Error && !seen.has(e)) {
      seen.add(e);
      for (const [type, retryable] of this.classified) if (matches(e, type)) return retryable;
      e = e.cause;
    }
    return this.defaultRetryable;
  }
}
