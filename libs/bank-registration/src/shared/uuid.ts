const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in paths are looked up only when they can be ids: PostgreSQL rejects a non-UUID uuid comparison. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
