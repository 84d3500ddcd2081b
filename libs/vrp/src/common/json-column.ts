import type { ValueTransformer } from 'typeorm';

/** JSON as text on both databases; reads accept the parsed value or the text. */
export const jsonColumn: ValueTransformer = {
  to: (value: unknown): string | null =>
    value === undefined || value === null ? null : JSON.stringify(value),
  from: (value: unknown): unknown =>
    typeof value === 'string' ? (JSON.parse(value) as unknown) : value,
};
