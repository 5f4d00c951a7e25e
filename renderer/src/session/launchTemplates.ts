/**
 * "Add Configuration…" templates, in debugpy's launch.json terms so the file keeps working in
 * VS Code. Framework reloaders are off: Apply Changes replaces them (a reloader restarts the
 * process, which would end the debug session).
 */
export interface LaunchTemplate {
  readonly label: string;
  readonly description: string;
  readonly configuration: Readonly<Record<string, unknown>>;
}

export function launchTemplates(folderName: string): readonly LaunchTemplate[] {
  const module = folderName.replace(/[^A-Za-z0-9_]/g, '_') || 'main';
  return [
    {
      label: 'Current File',
      description: 'Debug the file in the editor',
      configuration: { name: 'Python: Current File', type: 'debugpy', request: 'launch', program: '${file}', console: 'internalConsole' },
    },
    {
      label: 'Module',
      description: 'Run a package or module with python -m',
      configuration: { name: 'Python: Module', type: 'debugpy', request: 'launch', module, args: [], cwd: '${workspaceFolder}' },
    },
    {
      label: 'pytest',
      description: 'Run the test suite with python -m pytest',
      configuration: { name: 'Python: pytest', type: 'debugpy', request: 'launch', module: 'pytest', args: ['-q'], cwd: '${workspaceFolder}' },
    },
    {
      label: 'Flask',
      description: 'flask run, without its reloader and debugger',
      configuration: {
        name: 'Python: Flask',
        type: 'debugpy',
        request: 'launch',
        module: 'flask',
        env: { FLASK_APP: 'app.py', FLASK_DEBUG: '0' },
        args: ['run', '--no-debugger', '--no-reload'],
        cwd: '${workspaceFolder}',
      },
    },
    {
      label: 'Django',
      description: 'manage.py runserver, without its autoreloader',
      configuration: {
        name: 'Python: Django',
        type: 'debugpy',
        request: 'launch',
        program: '${workspaceFolder}/manage.py',
        args: ['runserver', '--noreload'],
        cwd: '${workspaceFolder}',
      },
    },
    {
      label: 'FastAPI (uvicorn)',
      description: 'uvicorn main:app, without --reload',
      configuration: {
        name: 'Python: FastAPI',
        type: 'debugpy',
        request: 'launch',
        module: 'uvicorn',
        args: ['main:app', '--port', '8000'],
        cwd: '${workspaceFolder}',
      },
    },
    {
      label: 'Attach',
      description: 'Attach to a program started with --listen',
      configuration: { name: 'Python: Attach', type: 'debugpy', request: 'attach', connect: { host: '127.0.0.1', port: 5678 }, token: '${env:DAPPER_TOKEN}' },
    },
  ];
}

/** A configuration name not yet used in the file ("Python: Flask 2"). */
export function uniqueName(name: string, taken: readonly string[]): string {
  if (!taken.includes(name)) return name;
  for (let n = 2; ; n += 1) if (!taken.includes(`${name} ${n}`)) return `${name} ${n}`;
}
