export { findSecrets, type SecretMatch } from './find.js';
export { maskDeep, maskSecrets, maskValue } from './mask.js';
export { dropLeadingPartialToken, truncateSafely } from './truncate.js';
export { isKeyLikeName, SECRET_PATTERNS, type SecretKind, type SecretPattern } from './patterns.js';
