import { readFileSync } from 'node:fs';
import { SightlineError } from '../errors.js';
import { type Layer, layerFromOptions } from './layers.js';

/**
 * Reads the JSON file named by `SIGHTLINE_CONFIG`: the same shape as the options of `init()`.
 * A file that is named but missing or malformed is a setup error, not something to guess around.
 */
export function layerFromConfigFile(path: string | undefined): Layer {
  if (path === undefined || path.trim() === '') return new Map();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SightlineError(
      'SIGHTLINE_ERR_CONFIG_FILE',
      `SIGHTLINE_ERR_CONFIG_FILE: cannot read SIGHTLINE_CONFIG file ${JSON.stringify(path)}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SightlineError(
      'SIGHTLINE_ERR_CONFIG_FILE',
      `SIGHTLINE_ERR_CONFIG_FILE: SIGHTLINE_CONFIG file ${JSON.stringify(path)} is not valid JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return layerFromOptions(parsed, `SIGHTLINE_CONFIG ${path}`);
}
