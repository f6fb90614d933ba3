import { Chalk } from 'chalk';
import type { Capability, Inventory } from '../inventory/model.js';
import { maskSecrets } from '../secrets/index.js';

const DESCRIPTION_CHARS = 100;

/** Shows control and invisible characters instead of letting them act on the terminal. */
function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[\u{e0000}-\u{e007f}]/gu, (char) => {
    const code = char.codePointAt(0)!;
    return `\\u{${code.toString(16)}}`;
  });
}

function oneLine(text: string | undefined, max = DESCRIPTION_CHARS): string {
  if (!text) return '';
  const flat = visible(maskSecrets(text)).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function label(capability: Capability): string {
  switch (capability.kind) {
    case 'resource':
      return `${capability.name}  ${capability.uri}`;
    case 'resourceTemplate':
      return `${capability.name}  ${capability.uriTemplate}`;
    default:
      return capability.name;
  }
}

/** `discover --format text`: what the server exposes, for a person. */
export function renderInventoryText(inventory: Inventory, options: { color: boolean }): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const { server } = inventory;
  const lines: string[] = [];
  const name = [server.info.name, server.info.version].filter(Boolean).join(' ') || '(no server info)';
  lines.push(c.bold(`${inventory.target.name}: ${visible(maskSecrets(name))}`));
  lines.push(
    `  transport ${server.transport}${server.sseFallback ? ' (legacy HTTP+SSE fallback)' : ''}, protocol ${server.protocolVersion ?? 'unknown'} (${server.era} era), connected in ${inventory.timings.connectMs} ms, listed in ${inventory.timings.listMs} ms`,
  );
  if (server.sseFallback) lines.push(c.yellow(`  ${server.sseFallback.reason}`));
  if (server.eraFallback) lines.push((server.eraFallback.reconnected ? c.yellow : c.dim)(`  legacy era: ${visible(maskSecrets(server.eraFallback.reason))}`));
  if (server.instructions) lines.push(`  instructions: ${oneLine(server.instructions, 160)}`);
  const sections: Array<[string, Capability[]]> = [
    ['tools', inventory.tools],
    ['resources', inventory.resources],
    ['resource templates', inventory.resourceTemplates],
    ['prompts', inventory.prompts],
  ];
  for (const [title, capabilities] of sections) {
    const listing = inventory.listings.find((entry) => entry.list === (title === 'resource templates' ? 'resourceTemplates' : title));
    const pages = listing && listing.pages > 1 ? `, ${listing.pages} pages` : '';
    const status = listing && !listing.requested ? ' (capability not declared)' : listing?.error ? ` (error: ${oneLine(listing.error.message)})` : '';
    lines.push('', c.bold(`${title} (${capabilities.length}${pages})${status}`));
    for (const capability of capabilities) {
      const description = oneLine(capability.description);
      lines.push(`  ${visible(maskSecrets(label(capability)))}${description ? c.dim(` — ${description}`) : ''}`);
    }
    if (listing?.stoppedEarly) lines.push(c.yellow(`  ${listing.stoppedEarly}`));
  }
  if (inventory.malformed.length > 0) {
    lines.push('', c.bold(c.red(`malformed items (${inventory.malformed.length})`)));
    for (const item of inventory.malformed) {
      lines.push(`  ${item.list} page ${item.page} #${item.index}${item.name ? ` ${visible(item.name)}` : ''}: ${item.problems.join('; ')}`);
    }
  }
  if (inventory.stdoutNoise.lines > 0) {
    lines.push(
      '',
      c.yellow(
        `the server wrote ${inventory.stdoutNoise.lines} non-JSON-RPC line(s) to stdout, e.g. ${JSON.stringify(oneLine(inventory.stdoutNoise.samples[0], 80))}`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
