export { findSecrets, type SecretMatch } from './find.js';
export { maskDeep, maskedJson, maskSecrets, maskValue } from './mask.js';
export { dropLeadingPartialToken, truncateSafely } from './truncate.js';
export { isKeyLikeName, SECRET_PATTERNS, type SecretKind, type SecretPattern } from './patterns.js';
