/**
 * Java's `InternalProcessorContext.processorMetadataForKey` / `addProcessorMetadataKeyValue`:
 * numbers a processor keeps across restarts, committed with the task's input offsets (see
 * runtime/topic-partition-metadata.ts). The runtime's contexts offer them; a context that does
 * not (a user's own, in a unit test) keeps nothing.
 */
export interface ProcessorMetadataAccess {
  processorMetadataForKey(key: string): number | undefined;
  addProcessorMetadataKeyValue(key: string, value: number): void;
}

export function processorMetadataForKey(context: object, key: string): number | undefined {
  return (context as Partial<ProcessorMetadataAccess>).processorMetadataForKey?.(key);
}

export function addProcessorMetadataKeyValue(context: object, key: string, value: number): void {
  (context as Partial<ProcessorMetadataAccess>).addProcessorMetadataKeyValue?.(key, value);
}
