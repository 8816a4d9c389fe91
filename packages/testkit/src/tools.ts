import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Real client tools the integration tests drive. A test that needs one and cannot find it fails
 * with the instruction to install it — it never passes silently.
 */
const INSTALL_HINT = 'install the test dependencies with: sudo bash .ci/install-deps.sh (Debian packages)';

export function requireCommand(command: string, debianPackage: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error(`'${command}' is not installed (Debian package ${debianPackage}); ${INSTALL_HINT}`);
  }
  return path;
}

/** Debian's Python modules are importable only by /usr/bin/python3, not by other pythons on PATH. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export function requirePythonModule(module: string, debianPackage: string): string {
  if (!existsSync(DEBIAN_PYTHON)) throw new Error(`${DEBIAN_PYTHON} not found; ${INSTALL_HINT}`);
  try {
    execFileSync(DEBIAN_PYTHON, ['-c', `import ${module}`], { stdio: 'pipe' });
  } catch {
    throw new Error(
      `Python module '${module}' is not importable by ${DEBIAN_PYTHON} (Debian package ${debianPackage}); ${INSTALL_HINT}`,
    );
  }
  return DEBIAN_PYTHON;
}
