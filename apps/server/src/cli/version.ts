import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * This botgate's version, from the nearest package.json above this file that is
 * `@botgate/server`'s: the bundle (`dist/botgate.cjs`) and the compiled module
 * (`dist/cli/version.js`) sit at different depths under it.
 */
export const botgateVersion = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === '@botgate/server' && manifest.version) return manifest.version;
    } catch {
      // no package.json here: look further up
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
};
