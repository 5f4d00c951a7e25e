/**
 * The launch `args`: a list of strings as given, or one string split the way a POSIX
 * shell splits a command line (quotes, backslashes, `$VAR` from the debuggee's
 * environment, `# comments`). Pipes and redirections need a real shell, so they are refused.
 */
import { parse } from 'shell-quote';
import { fieldError, optionalStringList, type LaunchFields } from './launchFields';

export function resolveProgramArgs(fields: LaunchFields, env: Readonly<Record<string, string>>): readonly string[] {
  const value = fields.args;
  if (typeof value !== 'string') return optionalStringList(fields, 'args');
  const words: string[] = [];
  for (const entry of parse(value, (name) => env[name] ?? '')) {
    if (typeof entry === 'string') {
      words.push(entry);
    } else if ('comment' in entry) {
      break;
    } else if (entry.op === 'glob') {
      words.push(entry.pattern);
    } else {
      throw fieldError(
        'args',
        `contains the shell operator "${entry.op}", which needs a shell Dapper does not start; give the arguments as a list, or quote the operator`,
        value,
      );
    }
  }
  return words;
}
