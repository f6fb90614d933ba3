import { broadScopes } from '../checks/auth/broad-scopes.js';
import { challengeWithoutScope } from '../checks/auth/challenge-without-scope.js';
import { insecureRemoteUrl } from '../checks/auth/insecure-remote-url.js';
import { missingProtectedResourceMetadata } from '../checks/auth/missing-protected-resource-metadata.js';
import { resourceMetadataMismatch } from '../checks/auth/resource-metadata-mismatch.js';
import { unauthenticatedHttp } from '../checks/auth/unauthenticated-http.js';
import { weakSessionId } from '../checks/auth/weak-session-id.js';
import { destructiveUnmarked } from '../checks/annotations/destructive-unmarked.js';
import { misleadingReadOnly } from '../checks/annotations/misleading-read-only.js';
import { missingAnnotations } from '../checks/annotations/missing-annotations.js';
import { arbitraryUrlFetch } from '../checks/design/arbitrary-url-fetch.js';
import { invalidToolName } from '../checks/design/invalid-tool-name.js';
import { rawSqlTool } from '../checks/design/raw-sql-tool.js';
import { shellLikeTool } from '../checks/design/shell-like-tool.js';
import { tooManyTools } from '../checks/design/too-many-tools.js';
import { unrestrictedPath } from '../checks/design/unrestricted-path.js';
import { crossToolShadowing } from '../checks/injection/cross-tool-shadowing.js';
import { encodedPayload } from '../checks/injection/encoded-payload.js';
import { hiddenCharacters } from '../checks/injection/hidden-characters.js';
import { instructionInDescription } from '../checks/injection/instruction-in-description.js';
import { oversizedDescription } from '../checks/injection/oversized-description.js';
import { listToolWithoutPaging } from '../checks/output/list-tool-without-paging.js';
import { capabilityMismatch } from '../checks/protocol/capability-mismatch.js';
import { deprecatedSseTransport } from '../checks/protocol/deprecated-sse-transport.js';
import { incompleteDiscovery } from '../checks/protocol/incomplete-discovery.js';
import { malformedCapability } from '../checks/protocol/malformed-capability.js';
import { outdatedRevision } from '../checks/protocol/outdated-revision.js';
import { paginationAbuse } from '../checks/protocol/pagination-abuse.js';
import { serverInfoIncomplete } from '../checks/protocol/server-info-incomplete.js';
import { invalidJsonSchema } from '../checks/schema/invalid-json-schema.js';
import { missingInputSchema } from '../checks/schema/missing-input-schema.js';
import { missingOutputSchema } from '../checks/schema/missing-output-schema.js';
import { missingRequired } from '../checks/schema/missing-required.js';
import { openInputSchema } from '../checks/schema/open-input-schema.js';
import { unboundedInput } from '../checks/schema/unbounded-input.js';
import { undocumentedParams } from '../checks/schema/undocumented-params.js';
import { secretInModelVisibleText } from '../checks/secrets/secret-in-model-visible-text.js';
import { getNotSseOr405 } from '../checks/transport/get-not-sse-or-405.js';
import { missingHostValidation } from '../checks/transport/missing-host-validation.js';
import { missingOriginValidation } from '../checks/transport/missing-origin-validation.js';
import { permissiveCors } from '../checks/transport/permissive-cors.js';
import { protocolVersionHeader } from '../checks/transport/protocol-version-header.js';
import { tlsCertificate } from '../checks/transport/tls-certificate.js';
import { tlsVersion } from '../checks/transport/tls-version.js';
// Source rules: they read `inventory.source` (src/source fills it); their modules never load ts-morph.
import { incompleteAuditEvent } from '../checks/audit/incomplete-audit-event.js';
import { noStructuredLogger } from '../checks/audit/no-structured-logger.js';
import { writeToolWithoutAuditLog } from '../checks/audit/write-tool-without-audit-log.js';
import { missingPerCallAuthorization } from '../checks/auth/missing-per-call-authorization.js';
import { noAudienceValidation } from '../checks/auth/no-audience-validation.js';
import { tokenInQuery } from '../checks/auth/token-in-query.js';
import { tokenPassthrough } from '../checks/auth/token-passthrough.js';
import { codeEvalTool } from '../checks/design/code-eval-tool.js';
import { envExposedToModel } from '../checks/design/env-exposed-to-model.js';
import { liveOnly } from '../checks/inventory/live-only.js';
import { ineffectiveSwitch } from '../checks/killswitch/ineffective-switch.js';
import { noCapabilitySwitch } from '../checks/killswitch/no-capability-switch.js';
import { noServerSwitch } from '../checks/killswitch/no-server-switch.js';
import { sourceOnly } from '../checks/inventory/source-only.js';
import { externalContentUnmarked } from '../checks/output/external-content-unmarked.js';
import { unboundedOutput } from '../checks/output/unbounded-output.js';
import { noConcurrencyGuard } from '../checks/runtime/no-concurrency-guard.js';
import { noHandlerTimeout } from '../checks/runtime/no-handler-timeout.js';
import { noRateLimit } from '../checks/runtime/no-rate-limit.js';
import { outboundCallWithoutTimeout } from '../checks/runtime/outbound-call-without-timeout.js';
import { internalDetailInError } from '../checks/secrets/internal-detail-in-error.js';
import { secretLogged } from '../checks/secrets/secret-logged.js';
// Repository rules: they read `inventory.repo` (src/repo fills it).
import { envNotMarkedSecret } from '../checks/secrets/env-not-marked-secret.js';
import { hardcodedSecret } from '../checks/secrets/hardcoded-secret.js';
import { bindsAllInterfaces } from '../checks/transport/binds-all-interfaces.js';
import { stdoutPollution } from '../checks/transport/stdout-pollution.js';
// Repository rules (facts: repo): they read `inventory.repo` (src/repo fills it).
import { invalidServerJson } from '../checks/ownership/invalid-server-json.js';
import { missingDependencyUpdatePlan } from '../checks/ownership/missing-dependency-update-plan.js';
import { missingOwner } from '../checks/ownership/missing-owner.js';
import { missingSecurityContact } from '../checks/ownership/missing-security-contact.js';
import { inputNotValidated } from '../checks/schema/input-not-validated.js';
import { structuredContentMismatch } from '../checks/schema/structured-content-mismatch.js';
import { classMismatch } from '../checks/risk/class-mismatch.js';
// Drift rules (facts: lock, `check --lockfile`): they read `inventory.drift` (src/lock/drift.ts fills it).
import { annotationChanged } from '../checks/drift/annotation-changed.js';
import { capabilityAdded } from '../checks/drift/capability-added.js';
import { capabilityRemoved } from '../checks/drift/capability-removed.js';
import { capabilityRenamed } from '../checks/drift/capability-renamed.js';
import { notComparable } from '../checks/drift/not-comparable.js';
import { riskClassRaised } from '../checks/drift/risk-class-raised.js';
import { schemaChanged } from '../checks/drift/schema-changed.js';
import { descriptionChanged, instructionsChanged } from '../checks/drift/text-changed.js';
import { suppressionProblem } from '../checks/suppression/suppression-problem.js';
import { unknownCheckMessage } from './format.js';
import { closest } from './levenshtein.js';
import type { CheckFunction } from './types.js';

/** Check name (a pack's `check:` field) → implementation. Explicit and sorted; keep it that way. */
export const CHECKS: Readonly<Record<string, CheckFunction>> = Object.freeze({
  'auth/broad-scopes': broadScopes,
  'auth/challenge-without-scope': challengeWithoutScope,
  'auth/insecure-remote-url': insecureRemoteUrl,
  'auth/missing-protected-resource-metadata': missingProtectedResourceMetadata,
  'auth/resource-metadata-mismatch': resourceMetadataMismatch,
  'auth/unauthenticated-http': unauthenticatedHttp,
  'auth/weak-session-id': weakSessionId,
  'annotations/destructive-unmarked': destructiveUnmarked,
  'annotations/misleading-read-only': misleadingReadOnly,
  'annotations/missing-annotations': missingAnnotations,
  'design/arbitrary-url-fetch': arbitraryUrlFetch,
  'design/invalid-tool-name': invalidToolName,
  'design/raw-sql-tool': rawSqlTool,
  'design/shell-like-tool': shellLikeTool,
  'design/too-many-tools': tooManyTools,
  'design/unrestricted-path': unrestrictedPath,
  'injection/cross-tool-shadowing': crossToolShadowing,
  'injection/encoded-payload': encodedPayload,
  'injection/hidden-characters': hiddenCharacters,
  'injection/instruction-in-description': instructionInDescription,
  'injection/oversized-description': oversizedDescription,
  'output/list-tool-without-paging': listToolWithoutPaging,
  'protocol/capability-mismatch': capabilityMismatch,
  'protocol/deprecated-sse-transport': deprecatedSseTransport,
  'protocol/incomplete-discovery': incompleteDiscovery,
  'protocol/malformed-capability': malformedCapability,
  'protocol/outdated-revision': outdatedRevision,
  'protocol/pagination-abuse': paginationAbuse,
  'protocol/server-info-incomplete': serverInfoIncomplete,
  'schema/invalid-json-schema': invalidJsonSchema,
  'schema/missing-input-schema': missingInputSchema,
  'schema/missing-output-schema': missingOutputSchema,
  'schema/missing-required': missingRequired,
  'schema/open-input-schema': openInputSchema,
  'schema/unbounded-input': unboundedInput,
  'schema/undocumented-params': undocumentedParams,
  'secrets/secret-in-model-visible-text': secretInModelVisibleText,
  'transport/get-not-sse-or-405': getNotSseOr405,
  'transport/missing-host-validation': missingHostValidation,
  'transport/missing-origin-validation': missingOriginValidation,
  'transport/permissive-cors': permissiveCors,
  'transport/protocol-version-header': protocolVersionHeader,
  'transport/tls-certificate': tlsCertificate,
  'transport/tls-version': tlsVersion,
  // Probe rules (facts: probe, only with `check --probe`; src/probe), sorted among themselves.
  'schema/input-not-validated': inputNotValidated,
  'schema/structured-content-mismatch': structuredContentMismatch,
  // Kill-switch verification (facts: live + `inventory.killSwitches`).
  'killswitch/ineffective-switch': ineffectiveSwitch,
  // Source rules (facts: source), sorted among themselves.
  'audit/incomplete-audit-event': incompleteAuditEvent,
  'audit/no-structured-logger': noStructuredLogger,
  'audit/write-tool-without-audit-log': writeToolWithoutAuditLog,
  'auth/missing-per-call-authorization': missingPerCallAuthorization,
  'auth/no-audience-validation': noAudienceValidation,
  'auth/token-in-query': tokenInQuery,
  'auth/token-passthrough': tokenPassthrough,
  'design/code-eval-tool': codeEvalTool,
  'design/env-exposed-to-model': envExposedToModel,
  'inventory/live-only': liveOnly,
  'inventory/source-only': sourceOnly,
  'killswitch/no-capability-switch': noCapabilitySwitch,
  'killswitch/no-server-switch': noServerSwitch,
  'output/external-content-unmarked': externalContentUnmarked,
  'output/unbounded-output': unboundedOutput,
  'runtime/no-concurrency-guard': noConcurrencyGuard,
  'runtime/no-handler-timeout': noHandlerTimeout,
  'runtime/no-rate-limit': noRateLimit,
  'runtime/outbound-call-without-timeout': outboundCallWithoutTimeout,
  'secrets/internal-detail-in-error': internalDetailInError,
  'secrets/secret-logged': secretLogged,
  'transport/binds-all-interfaces': bindsAllInterfaces,
  'transport/stdout-pollution': stdoutPollution,
  // Repository rules (facts: repo), sorted among themselves.
  'secrets/env-not-marked-secret': envNotMarkedSecret,
  'secrets/hardcoded-secret': hardcodedSecret,
  // Risk inventory rules (read `inventory.risk`).
  'risk/class-mismatch': classMismatch,
  // Ownership rules (facts: repo).
  'ownership/invalid-server-json': invalidServerJson,
  'ownership/missing-dependency-update-plan': missingDependencyUpdatePlan,
  'ownership/missing-owner': missingOwner,
  'ownership/missing-security-contact': missingSecurityContact,
  // Drift rules (facts: lock); several rules share a check and pick by a pack option.
  'drift/annotation-changed': annotationChanged,
  'drift/capability-added': capabilityAdded,
  'drift/capability-removed': capabilityRemoved,
  'drift/capability-renamed': capabilityRenamed,
  'drift/description-changed': descriptionChanged,
  'drift/instructions-changed': instructionsChanged,
  'drift/not-comparable': notComparable,
  'drift/risk-class-raised': riskClassRaised,
  'drift/schema-changed': schemaChanged,
  // Suppression rules (facts: suppress): judged after the other rules, from `inventory.suppressions`.
  'suppression/problem': suppressionProblem,
});

export function checkNames(): string[] {
  return Object.keys(CHECKS).sort();
}

/** The check a rule names; an unknown name throws, naming the rule and the closest known check. */
export function getCheck(name: string, ruleId: string = name): CheckFunction {
  const check = Object.hasOwn(CHECKS, name) ? CHECKS[name] : undefined;
  if (check === undefined) throw new Error(unknownCheckMessage(name, ruleId, closest(name, checkNames())));
  return check;
}
