/** Reading an instruction's arguments as words, the way the checks compare them. */
import type { ParsedInstruction } from '../types.js';

/** The words of an instruction's arguments, flags excluded. */
export function words(ins: ParsedInstruction): string[] {
  return ins.args.split(/\s+/).filter(Boolean);
}

/** The program a CMD/ENTRYPOINT/SHELL runs: the first exec element or shell word. */
export function program(ins: ParsedInstruction): string | undefined {
  if (ins.json) return ins.json[0];
  return words(ins)[0];
}
