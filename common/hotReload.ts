/**
 * Dapper's DAP additions (Apply Changes, stdin, interpreter info): names and types generated
 * from their one definition, common/protocol/dapper.schema.json.
 */
export * from './protocol/generated/dapper';
