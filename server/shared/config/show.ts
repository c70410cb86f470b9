import { stringify } from 'smol-toml';
import { configSchema, type HeraldConfig } from './schema.js';
import type { Node, Shape } from './schema-kit.js';

const MASK = '********';

/** A copy of the config with every secret replaced by a mask (empty secrets stay empty). */
export function maskSecrets(config: HeraldConfig): Record<string, unknown> {
  return mask(configSchema, config) as Record<string, unknown>;
}

function mask(node: Node, value: unknown): unknown {
  if (node.kind === 'leaf') return node.secret && value ? MASK : value;
  if (node.kind === 'tableList') return (value as unknown[]).map((item) => maskTable(node.shape, item));
  return maskTable(node.shape, value);
}

function maskTable(shape: Shape, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(shape)) out[key] = mask(child, (value as Record<string, unknown>)[key]);
  return out;
}

/** The effective config as TOML, secrets masked: what `herald config show` prints. */
export function renderConfig(config: HeraldConfig): string {
  return stringify(maskSecrets(config)) + '\n';
}
