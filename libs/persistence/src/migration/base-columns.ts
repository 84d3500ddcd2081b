import { TableColumn, type QueryRunner } from 'typeorm';
import { columnTypes } from './column-types';

/** The columns every ConnectorBaseEntity table has, for feature migrations to spread first. */
export function baseColumns(queryRunner: QueryRunner): TableColumn[] {
  const t = columnTypes(queryRunner);
  return [
    new TableColumn({
      name: 'id',
      type: t.uuid,
      length: t.uuid === 'uuid' ? undefined : '36',
      isPrimary: true,
    }),
    new TableColumn({ name: 'created', type: t.timestamp, default: t.now, isNullable: false }),
    new TableColumn({ name: 'createdBy', type: 'varchar', length: '256', isNullable: true }),
    new TableColumn({ name: 'reference', type: 'varchar', length: '1024', isNullable: true }),
    new TableColumn({ name: 'deleted', type: t.timestamp, isNullable: true }),
  ];
}
