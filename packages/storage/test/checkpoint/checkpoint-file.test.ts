import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  CorruptCheckpointError,
  LeaderEpochCheckpointFile,
  OffsetCheckpointFile,
} from '../../src/checkpoint/checkpoint-file.js';
import { CleanShutdownFile } from '../../src/checkpoint/clean-shutdown-file.js';
import { PartitionMetadataFile } from '../../src/checkpoint/partition-metadata-file.js';
import { readPropertiesFile, writePropertiesFile } from '../../src/checkpoint/properties-file.js';
import { rmDir, tmpDir } from '../support/batches.js';

describe('checkpoint files', () => {
  let dir: string;
  beforeEach(() => {
    dir = tmpDir();
  });
  afterEach(() => rmDir(dir));

  it('writes offset checkpoints byte for byte as Kafka does and reads them back', async () => {
    const path = join(dir, 'recovery-point-offset-checkpoint');
    const file = new OffsetCheckpointFile(path);
    await file.write([
      { topic: 'orders', partition: 0, offset: 42 },
      { topic: 'my.topic_1', partition: 12, offset: 9007199254740000 },
    ]);
    assert.equal(fs.readFileSync(path, 'utf8'), '0\n2\norders 0 42\nmy.topic_1 12 9007199254740000\n');
    assert.equal(fs.existsSync(`${path}.tmp`), false);
    assert.deepEqual(
      [...file.read()],
      [
        ['orders-0', 42],
        ['my.topic_1-12', 9007199254740000],
      ],
    );
    await file.write([]);
    assert.equal(fs.readFileSync(path, 'utf8'), '0\n0\n');
    assert.equal(new OffsetCheckpointFile(join(dir, 'missing')).read().size, 0);
  });

  it('rejects malformed checkpoints', () => {
    const path = join(dir, 'bad');
    const file = new OffsetCheckpointFile(path);
    for (const text of ['1\n0\n', '0\n2\na 0 1\n', '0\n1\na b c\n', 'x\n']) {
      fs.writeFileSync(path, text);
      assert.throws(() => file.read(), CorruptCheckpointError, text);
    }
  });

  it('writes leader-epoch-checkpoint as version, count, "epoch offset" lines', async () => {
    const path = join(dir, 'leader-epoch-checkpoint');
    const file = new LeaderEpochCheckpointFile(path);
    await file.write([
      { epoch: 0, startOffset: 0 },
      { epoch: 3, startOffset: 150 },
    ]);
    assert.equal(fs.readFileSync(path, 'utf8'), '0\n2\n0 0\n3 150\n');
    assert.deepEqual(file.read(), [
      { epoch: 0, startOffset: 0 },
      { epoch: 3, startOffset: 150 },
    ]);
  });

  it('writes partition.metadata as Kafka does (no trailing newline)', async () => {
    const file = new PartitionMetadataFile(join(dir, 'partition.metadata'));
    assert.equal(file.read(), undefined);
    await file.write('7Vq1pXaLQgeaNnTFHdWkxw');
    assert.equal(fs.readFileSync(file.path, 'utf8'), 'version: 0\ntopic_id: 7Vq1pXaLQgeaNnTFHdWkxw');
    assert.equal(file.read(), '7Vq1pXaLQgeaNnTFHdWkxw');
  });

  it('writes the clean shutdown marker as Kafka’s JSON', async () => {
    const file = new CleanShutdownFile(dir);
    assert.equal(file.exists(), false);
    await file.write(17);
    assert.deepEqual(JSON.parse(fs.readFileSync(join(dir, '.kafka_cleanshutdown'), 'utf8')), {
      version: '0',
      broker_epoch: '17',
    });
    assert.equal(file.read(), 17);
    await file.delete();
    assert.equal(file.exists(), false);
  });

  it('reads and writes .properties files', async () => {
    // The format itself is tested with @samsa/protocol's java-properties.
    const path = join(dir, 'meta.properties');
    assert.equal(readPropertiesFile(path), undefined);
    await writePropertiesFile(
      path,
      new Map([
        ['version', '1'],
        ['cluster.id', 'abc=def'],
      ]),
      { comments: 'Written by Samsa' },
    );
    assert.equal(fs.readFileSync(path, 'utf8'), '#Written by Samsa\nversion=1\ncluster.id=abc\\=def\n');
    assert.deepEqual(
      [...(readPropertiesFile(path) ?? [])],
      [
        ['version', '1'],
        ['cluster.id', 'abc=def'],
      ],
    );
    assert.equal(fs.existsSync(`${path}.tmp`), false);
  });
});
