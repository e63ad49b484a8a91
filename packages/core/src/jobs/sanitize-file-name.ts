import { basename } from 'node:path';

// Device names Windows refuses as file names, with or without an extension.
const reserved = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A client's file name made safe to write inside a job's folder: no directories (so no `..`
 * escape), no control or reserved characters, no device names, no hidden or empty names, at
 * most 200 bytes.
 */
export const sanitizeFileName = (name: string): string => {
  let safe = basename(name.replaceAll('\\', '/'))
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .trim()
    .replace(/^\.+/, '_')
    .replace(/[. ]+$/, '');
  if (reserved.test(safe)) safe = `_${safe}`;
  while (Buffer.byteLength(safe) > 200) safe = safe.slice(0, -1);
  return safe === '' ? 'file' : safe;
};

/** `report.pdf`, then `report (1).pdf`, … : two uploads with one name both land. */
export const uniqueFileName = (name: string, taken: Set<string>): string => {
  if (!taken.has(name)) return name;
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 1; ; n++) {
    const candidate = `${stem} (${n})${extension}`;
    if (!taken.has(candidate)) return candidate;
  }
};
