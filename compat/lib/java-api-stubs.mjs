// The jar of Kafka client API signature stubs that librdkafka's tests/java compile against
// (compat/java-api-stubs/README.md): built once per change of the stub sources, cached.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const JAR_NAME = 'kafka-clients-api-stubs.jar';

function javaSources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return javaSources(path);
    return entry.name.endsWith('.java') ? [path] : [];
  });
}

/**
 * Compiles `sourceDir`'s stubs into `<cacheDir>/java-api-stubs/kafka-clients-api-stubs.jar`
 * unless the jar of the same sources is there, and returns that directory: the suite's
 * tests/java/Makefile takes it as KAFKA_JARS (`$(KAFKA_JARS)/kafka-clients-*.jar`). Returns
 * undefined, having said why, when the stubs cannot be built (no JDK).
 */
export function ensureJavaApiStubs(sourceDir, cacheDir) {
  try {
    return buildJavaApiStubs(sourceDir, cacheDir);
  } catch (err) {
    // Without a JDK only 0098 suffers (its build step fails as without Kafka's jars): say so
    // and run the rest.
    process.stdout.write(
      `::: no Kafka client API stubs for tests/java (${err.message.split('\n')[0]}): 0098_consumer_txn will fail; it needs a JDK (javac, jar)\n`,
    );
    return undefined;
  }
}

function buildJavaApiStubs(sourceDir, cacheDir) {
  const sources = javaSources(sourceDir).sort();
  const hash = createHash('sha256');
  for (const path of sources) hash.update(relative(sourceDir, path)).update(readFileSync(path));
  const digest = hash.digest('hex');
  const jarsDir = join(cacheDir, 'java-api-stubs');
  const stamp = join(jarsDir, '.sources-sha256');
  if (existsSync(join(jarsDir, JAR_NAME)) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
    return jarsDir;
  }
  // Built beside the jar under names the Makefile's kafka-clients-*.jar does not match, then
  // renamed: another run on the same cache never sees half a jar.
  const classes = join(jarsDir, `.classes-${process.pid}`);
  const tmpJar = join(jarsDir, `.${process.pid}.jar`);
  mkdirSync(classes, { recursive: true });
  try {
    execFileSync('javac', ['-d', classes, ...sources], { stdio: 'inherit' });
    execFileSync('jar', ['cf', tmpJar, '-C', classes, '.'], { stdio: 'inherit' });
    renameSync(tmpJar, join(jarsDir, JAR_NAME));
    writeFileSync(stamp, digest);
  } finally {
    rmSync(classes, { recursive: true, force: true });
    rmSync(tmpJar, { force: true });
  }
  return jarsDir;
}
