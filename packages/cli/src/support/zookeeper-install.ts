import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CommandError } from './command-errors.js';

/**
 * Where Debian's `zookeeper` package puts ZooKeeper (its server jar, configuration directory and
 * command-line client), which Samsa's ZooKeeper scripts run as Kafka's own scripts run the
 * ZooKeeper bundled with Kafka. `SAMSA_ZOOKEEPER_JAR` and `SAMSA_ZKCLI` point elsewhere.
 */
export const DEBIAN_ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
export const DEBIAN_ZOOKEEPER_CONF = '/etc/zookeeper/conf';
export const DEBIAN_ZKCLI = '/usr/share/zookeeper/bin/zkCli.sh';
/**
 * SLF4J's log4j 1.2 binding and log4j itself (Debian's libslf4j-java and liblog4j1.2-java, both
 * dependencies of libzookeeper-java): with them the server logs through the configuration
 * directory's log4j.properties, as Kafka's bundled ZooKeeper logs through config/log4j.properties;
 * without them it prints nothing at all.
 */
const LOG4J_BINDING = ['/usr/share/java/slf4j-log4j12.jar', '/usr/share/java/log4j-1.2.jar'];

const INSTALL =
  "install Debian's zookeeper package (sudo apt-get install zookeeper), which brings a Java runtime with it";

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` on the PATH (kafka-run-class.sh's rule). */
export function findJava(env: NodeJS.ProcessEnv): string {
  const home = env.JAVA_HOME;
  if (home !== undefined && home !== '') {
    const java = join(home, 'bin', 'java');
    if (executable(java)) return java;
    throw new CommandError(`ERROR ${java} not found (JAVA_HOME is ${home}): ZooKeeper needs Java; ${INSTALL}`);
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && executable(join(dir, 'java'))) return join(dir, 'java');
  }
  throw new CommandError(
    `ERROR java not found on the PATH: ZooKeeper needs Java (Debian package default-jre-headless); ${INSTALL}`,
  );
}

/** The classpath of Debian's ZooKeeper server: its configuration directory, its jar, the log binding. */
export function zookeeperClasspath(env: NodeJS.ProcessEnv): string {
  const jar = env.SAMSA_ZOOKEEPER_JAR ?? DEBIAN_ZOOKEEPER_JAR;
  if (!existsSync(jar)) throw new CommandError(`ERROR ZooKeeper is not installed (${jar} not found): ${INSTALL}`);
  const binding = LOG4J_BINDING.every((j) => existsSync(j)) ? LOG4J_BINDING : [];
  return [DEBIAN_ZOOKEEPER_CONF, jar, ...binding].join(':');
}

/** Debian's zkCli.sh, the shell Kafka's zookeeper-shell.sh wraps. */
export function findZkCli(env: NodeJS.ProcessEnv): string {
  const cli = env.SAMSA_ZKCLI ?? DEBIAN_ZKCLI;
  if (!executable(cli))
    throw new CommandError(`ERROR ZooKeeper's shell is not installed (${cli} not found): ${INSTALL}`);
  return cli;
}
