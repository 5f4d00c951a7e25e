/**
 * The schema Monaco's JSON language service validates `.vscode/launch.json` against, and
 * completes from (property names, enums, and the "Add Configuration…" templates as snippets).
 * It describes the fields Dapper reads, with debugpy's names.
 */
import { launchTemplates } from '../session/launchTemplates';

const stringList = { type: 'array', items: { type: 'string' } };

const configurationProperties = {
  name: { type: 'string', description: 'Name shown in the Launch configuration list.' },
  type: { enum: ['debugpy', 'python', 'dapper'], description: 'Debugger type. Dapper runs debugpy, python and dapper configurations.' },
  request: { enum: ['launch', 'attach'], description: 'Start a program (launch) or connect to a running one (attach).' },
  program: { type: 'string', description: 'Script to run, absolute or relative to cwd. ${file} is the file in the editor.' },
  module: { type: 'string', description: 'Module to run as python -m MODULE (instead of program).' },
  args: { anyOf: [stringList, { type: 'string' }], description: 'Arguments: a list, or one string split as a shell would.' },
  cwd: { type: 'string', description: 'Working folder; default ${workspaceFolder}.' },
  env: {
    type: 'object',
    additionalProperties: { type: ['string', 'null'] },
    description: 'Environment variables to add (null removes one). Wins over envFile.',
  },
  envFile: { type: 'string', description: 'A dotenv file of environment variables.' },
  python: { anyOf: [{ type: 'string' }, stringList], description: 'Interpreter path, or a list: path then interpreter options.' },
  pythonArgs: { ...stringList, description: 'Options for the interpreter, e.g. ["-X", "dev"].' },
  stopOnEntry: { type: 'boolean', default: false, description: 'Stop at the first line of the program.' },
  justMyCode: { type: 'boolean', default: true, description: 'Step and stop only in your own code.' },
  console: {
    enum: ['internalConsole', 'integratedTerminal', 'externalTerminal'],
    description: 'Where output goes; in Dapper Desktop always the Debug Console.',
  },
  subProcess: { type: 'boolean', description: 'Also debug child processes.' },
  connect: {
    type: 'object',
    properties: { host: { type: 'string' }, port: { type: 'number' } },
    required: ['port'],
    description: 'Where the program listens (attach).',
  },
  processId: { type: ['number', 'string'], description: 'Process to attach to.' },
  pathMappings: {
    type: 'array',
    items: { type: 'object', properties: { localRoot: { type: 'string' }, remoteRoot: { type: 'string' } }, required: ['localRoot', 'remoteRoot'] },
    description: 'Map folders on this machine to folders where the program runs.',
  },
};

export function launchJsonSchema(): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      version: { type: 'string', default: '0.2.0' },
      configurations: {
        type: 'array',
        description: 'Launch configurations, listed by name in the toolbar.',
        items: {
          type: 'object',
          required: ['name', 'type', 'request'],
          properties: configurationProperties,
          defaultSnippets: launchTemplates('app').map((template) => ({
            label: template.label,
            description: template.description,
            body: template.configuration,
          })),
          if: { properties: { request: { const: 'launch' } } },
          then: { anyOf: [{ required: ['program'] }, { required: ['module'] }] },
        },
      },
      compounds: { type: 'array' },
    },
  };
}

export const LAUNCH_JSON_SCHEMA_URI = 'dapper://schemas/launch.json';
