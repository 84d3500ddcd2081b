import { Repository, type ObjectLiteral } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Not deleted; ids that cannot be UUIDs are simply unknown (PostgreSQL refuses to compare). */
export async function findActiveById<T extends ObjectLiteral & { id: string }>(
  rows: Repository<T>,
  id: string,
): Promise<T | null> {
  return UUID.test(id) ? rows.findOne({ where: { id } as never }) : null;
}
