import { defineCheck } from '../../engine/define-check.js';
import { truncateSafely } from '../../secrets/truncate.js';
import { numberOption } from '../../engine/options.js';
import { modelVisibleText, PROSE_ROLES } from '../model-visible-text.js';

/**
 * injection/encoded-payload: encoded text hidden in model-visible prose. A long base64, base64url or
 * hex run is reported only when it decodes to readable text (a hidden message the model can decode
 * and a reviewer cannot read); hashes, ids and binary blobs decode to noise and pass. `data:` URLs
 * with a text payload are reported too.
 */

const BASE64 = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{24,}={0,2}(?![A-Za-z0-9+/_-])/g;
const HEX = /(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){16,}(?![0-9A-Fa-f])/g;
const DATA_URL = /\bdata:([\w.+-]+\/[\w.+-]+)?((?:;[\w.+-]+=[\w.+-]+)*)(;base64)?,([^\s"'<>)]{8,})/gi;

function readable(bytes: Buffer, minChars: number): string | undefined {
  const text = bytes.toString('utf8');
  if ([...text].length < minChars || text.includes('\uFFFD')) return undefined;
  const printable = [...text].filter((char) => /[\p{L}\p{N}\p{P}\p{Zs}\n\r\t]/u.test(char)).length;
  const letters = [...text].filter((char) => /\p{L}/u.test(char)).length;
  // Mostly printable and mostly words: hidden prose, not a hash or an id.
  if (printable / [...text].length < 0.95 || letters / [...text].length < 0.5 || !/\s/.test(text)) return undefined;
  return text;
}

function decodeBase64(run: string, minChars: number): string | undefined {
  if (!/[A-Z]/.test(run) || !/[a-z]/.test(run)) return undefined;
  return readable(Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64'), minChars);
}

interface Hit {
  kind: 'base64' | 'hex' | 'dataUrl';
  raw: string;
  decoded: string;
}

function findPayloads(text: string, minChars: number): Hit[] {
  const hits: Hit[] = [];
  for (const match of text.matchAll(DATA_URL)) {
    const [raw, mime = '', , base64, payload = ''] = match;
    let decoded: string | undefined;
    try {
      decoded = base64 === undefined ? decodeURIComponent(payload) : Buffer.from(payload, 'base64').toString('utf8');
    } catch {
      decoded = payload;
    }
    // Images and other binary media are content, not a channel for text.
    if (mime !== '' && !/^(?:text\/|application\/(?:json|javascript|xml))/i.test(mime)) continue;
    hits.push({ kind: 'dataUrl', raw, decoded });
  }
  for (const match of text.matchAll(HEX)) {
    const decoded = readable(Buffer.from(match[0], 'hex'), minChars);
    if (decoded !== undefined) hits.push({ kind: 'hex', raw: match[0], decoded });
  }
  for (const match of text.matchAll(BASE64)) {
    if (/^[0-9A-Fa-f]+$/.test(match[0])) continue;
    const decoded = decodeBase64(match[0], minChars);
    if (decoded !== undefined) hits.push({ kind: 'base64', raw: match[0], decoded });
  }
  return hits;
}

const short = (text: string, max: number): string => truncateSafely(text, max);

export const encodedPayload = defineCheck('injection/encoded-payload', ({ inventory, rule, report }) => {
  const minChars = numberOption(rule, 'minDecodedChars');
  for (const visible of modelVisibleText(inventory, PROSE_ROLES)) {
    const hit = findPayloads(visible.text, minChars)[0];
    if (hit === undefined) continue;
    report({
      messageId: hit.kind,
      data: { field: visible.field, length: hit.raw.length, decoded: short(hit.decoded.replace(/\s+/g, ' '), 80) },
      capability: visible.capability,
      field: visible.field,
      evidence: `${short(hit.raw, 40)} → ${JSON.stringify(short(hit.decoded.replace(/\s+/g, ' '), 80))}`,
    });
  }
});
