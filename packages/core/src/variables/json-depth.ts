/** How deep JSON may nest in a request or a variable unless configured otherwise (`jsonDepth`). */
export const defaultJsonDepth = 64;

/**
 * Whether `value` nests arrays and objects deeper than `max` levels, found without recursion: the
 * converters that come after it recurse, and 2,000 levels made them overflow the stack (a 500
 * from a 1 MiB body).
 */
export const nestsDeeperThan = (value: unknown, max: number): boolean => {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
};
