import { describeJsonType, isRecord, schemaTypes } from '../json-schema.js';

/** Why a tool's `inputSchema` is not the JSON Schema object the spec requires, if it is not. */
export type InputSchemaProblem =
  { messageId: 'absent' } | { messageId: 'nullSchema' } | { messageId: 'notObject'; actual: string } | { messageId: 'rootTypeNotObject'; actual: string };

/** Shared by missing-input-schema (which reports it) and open-input-schema (which then stays quiet). */
export function inputSchemaProblem(inputSchema: unknown): InputSchemaProblem | undefined {
  if (inputSchema === undefined) return { messageId: 'absent' };
  if (inputSchema === null) return { messageId: 'nullSchema' };
  if (!isRecord(inputSchema)) return { messageId: 'notObject', actual: describeJsonType(inputSchema) };
  const types = schemaTypes(inputSchema);
  if (types === undefined) {
    const type = inputSchema.type;
    return { messageId: 'rootTypeNotObject', actual: type === undefined ? 'missing' : JSON.stringify(type) };
  }
  if (types.length !== 1 || types[0] !== 'object') return { messageId: 'rootTypeNotObject', actual: JSON.stringify(inputSchema.type) };
  return undefined;
}
