import type { QueryRunner } from 'typeorm';
import { isPostgres } from './column-types';

export interface DuplicateRows {
  table: string;
  /** The columns that must be unique among live (not soft-deleted) rows. */
  columns: string[];
  /** The idempotency scope whose completed records name the row a caller was answered with. */
  scope: string;
}

/**
 * Before a unique index over live rows: soft-deletes all but one of the live rows sharing
 * `columns`. The one kept is the row an idempotency record of `scope` answered with (its
 * `resourceId`), else the earliest. Rows are marked, never removed. Returns how many it marked.
 */
export async function retireDuplicateRows(
  queryRunner: QueryRunner,
  spec: DuplicateRows,
): Promise<number> {
  const quoted = spec.columns.map((c) => `"${c}"`).join(', ');
  const rows = (await queryRunner.query(
    `SELECT id, ${quoted} FROM ${spec.table} WHERE "deleted" IS NULL ORDER BY "created", id`,
  )) as Record<string, unknown>[];
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const key = JSON.stringify(spec.columns.map((c) => row[c]));
    groups.set(key, [...(groups.get(key) ?? []), String(row.id)]);
  }
  const duplicated = [...groups.values()].filter((ids) => ids.length > 1);
  if (duplicated.length === 0) return 0;
  const p = isPostgres(queryRunner) ? '$1' : '?';
  const records = (await queryRunner.hasTable('idempotency_record'))
    ? ((await queryRunner.query(
        `SELECT "resourceId" FROM idempotency_record WHERE scope = ${p} AND "resourceId" IS NOT NULL`,
        [spec.scope],
      )) as { resourceId: string }[])
    : [];
  const answered = new Set(records.map((r) => r.resourceId));
  let retired = 0;
  for (const ids of duplicated) {
    const kept = ids.find((id) => answered.has(id)) ?? ids[0];
    for (const id of ids.filter((i) => i !== kept)) {
      await queryRunner.query(
        `UPDATE ${spec.table} SET "deleted" = CURRENT_TIMESTAMP WHERE id = ${p}`,
        [id],
      );
      retired += 1;
    }
  }
  return retired;
}
