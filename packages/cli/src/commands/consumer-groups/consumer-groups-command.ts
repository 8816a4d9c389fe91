import { connectAdmin } from '../../support/admin-client.js';
import type { Tool } from '../../support/tool.js';
import { deleteGroups } from './delete.js';
import { deleteOffsets } from './delete-offsets.js';
import { describeGroups } from './describe.js';
import { listGroups } from './list.js';
import { checkArgs, specs } from './options.js';
import { resetOffsets } from './reset-offsets.js';

/** `kafka-consumer-groups.sh`: list, describe, delete consumer groups and reset or delete their offsets. */
export const consumerGroupsTool: Tool = {
  name: 'consumer-groups',
  script: 'kafka-consumer-groups.sh',
  purpose:
    'This tool helps to list all consumer groups, describe a consumer group, delete consumer group info, or reset consumer group offsets.',
  specs,
  errorPrefix: 'Error: Executing consumer group command failed due to ',
  async run(options, io) {
    checkArgs(options);
    const admin = await connectAdmin(options.value('bootstrap-server'), options.value('command-config'), io);
    try {
      if (options.has('list')) {
        await listGroups(admin, options, io);
        return 0;
      }
      if (options.has('describe')) return await describeGroups(admin, options, io);
      if (options.has('delete')) return await deleteGroups(admin, options, io);
      if (options.has('reset-offsets')) return await resetOffsets(admin, options, io);
      return await deleteOffsets(admin, options, io);
    } finally {
      await admin.close();
    }
  },
};
