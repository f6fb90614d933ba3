import { defineCheck } from '../../engine/define-check.js';
import { hasDependency, servesHttp, siteFinding, sitesOf, sourceFacts } from '../source-facts.js';

export const LOGGING_PACKAGES = [
  'pino',
  'pino-http',
  'winston',
  'express-winston',
  'bunyan',
  'log4js',
  'loglevel',
  'consola',
  'signale',
  'tslog',
  'roarr',
  '@logtape/logtape',
  'morgan',
  '@google-cloud/logging',
  '@google-cloud/logging-winston',
  '@opentelemetry/api-logs',
  '@aws-lambda-powertools/logger',
  'fastify',
];

/**
 * audit/no-structured-logger: an HTTP server whose package depends on no logging library at all
 * (fastify counts: it ships pino). stdio servers are skipped: their stderr is the host's log.
 */
export const noStructuredLogger = defineCheck('audit/no-structured-logger', ({ inventory, report, skip }) => {
  const facts = sourceFacts(inventory);
  if (facts === undefined) return;
  if (!servesHttp(facts) && inventory.target.kind !== 'http') {
    skip?.('not an HTTP server: a stdio server logs to stderr, which its host collects');
    return;
  }
  if (hasDependency(facts, LOGGING_PACKAGES) !== undefined) return;
  const anchor = sitesOf(facts, 'listen')[0] ?? sitesOf(facts, 'http-transport')[0];
  if (anchor === undefined) {
    report({
      messageId: 'noLogger',
      data: { file: 'package.json', line: 1, what: 'the HTTP server' },
      capability: { kind: 'server' },
      evidence: 'no logging dependency',
    });
    return;
  }
  report({ ...siteFinding(facts, anchor, 'noLogger'), evidence: 'no logging dependency' });
});
