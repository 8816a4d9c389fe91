/** A record as the console API answers it (see src/record-view.ts): decoded, offsets as strings. */
export interface RecordView {
  partition: number;
  offset: string;
  timestamp: number;
  timestampType: string;
  key: string | null;
  value: string | null;
  valueBytes: number;
  truncated: boolean;
  headers: { key: string; value: string | null }[];
}
