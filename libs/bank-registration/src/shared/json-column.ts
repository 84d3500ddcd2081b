import type { ValueTransformer } from 'typeorm';

/**
 * JSON stored as jsonb on PostgreSQL and as text on SQLite (see the migrations). The entity
 * declares the column as text so one class loads on both drivers; reads accept either the
 * driver-parsed value (pg) or the raw text (SQLite).
 */
export const jsonColumn: ValueTransformer = {
  to: (value: unknown): string | null =>
    value === undefined || value === null ? null : JSON.stringify(value),
  from: (value: unknown): unknown =>
    typeof value === 'string' ? (JSON.parse(value) as unknown) : value,
};
