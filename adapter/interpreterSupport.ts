/**
 * Which Python versions the agent has been tested on. A newer interpreter is used anyway (the
 * agent detects features, not versions), and the user is told once, in the Debug Console.
 */

/** The newest CPython minor version the test suites run on (3.14 and 3.15 from Debian
 * unstable: scripts/install-debian-pythons.sh). */
export const NEWEST_TESTED_PYTHON: readonly [number, number] = [3, 15];

/** The Debug Console line for an interpreter newer than any tested one, else undefined. */
export function untestedInterpreterNotice(version: string | undefined): string | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return undefined;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const [newestMajor, newestMinor] = NEWEST_TESTED_PYTHON;
  if (major < newestMajor || (major === newestMajor && minor <= newestMinor)) return undefined;
  return (
    `Dapper has not been tested on Python ${major}.${minor} (newest tested: ${newestMajor}.${newestMinor}). ` +
    'Debugging and Apply Changes should work; if something misbehaves, please report it with this version.\n'
  );
}
