const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a GUID string such as a tenant id or an object id (any case). */
export const isGuid = (value: unknown): boolean => typeof value === 'string' && GUID.test(value);
