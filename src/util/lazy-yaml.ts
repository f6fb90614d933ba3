import { createRequire } from 'node:module';

/**
 * The `yaml` package, required on first use: `--version`, `rules` without a config, and a check
 * with no config, no --print-config and no repository to read parse no YAML, so they do not pay
 * for loading the parser (start-up, issue 18). Its Node entry is CommonJS either way.
 */
type YamlModule = typeof import('yaml');

const require = createRequire(import.meta.url);
let yamlModule: YamlModule | undefined;

export const yaml = (): YamlModule => (yamlModule ??= require('yaml') as YamlModule);
