// A listener with non-blocking retries and a dead-letter topic, configured by application.yml and
// fed by the application's KafkaTemplate. Run from the repository root after `npm run build`:
//   node packages/app/examples/orders.mjs            (a broker on localhost:9092, or BOOTSTRAP=host:port)
import { fileURLToPath } from 'node:url';
import { JsonTypeMapper, KafkaApplication } from '@samsa/app';

class Order {
  constructor(id, amount) {
    this.id = id;
    this.amount = amount;
  }
}

const topic = `orders-${process.pid}`;
const typeMapper = new JsonTypeMapper().register('com.example.orders.Order', Order);
const app = KafkaApplication.fromSpringConfig(fileURLToPath(new URL('application.yml', import.meta.url)), {
  typeMapper,
  topics: [{ name: topic, numPartitions: 2 }],
});

const done = new Set();
const dead = [];
app.listen(
  {
    topics: topic,
    retryableTopic: {
      attempts: 3,
      backoff: { delayMs: 500, multiplier: 2 },
      dltHandler: (record) => {
        dead.push(record.value.id);
        console.log(`dead letter: order ${record.value.id} from ${record.topic}`);
      },
    },
  },
  (record) => {
    const order = record.value;
    if (!(order instanceof Order)) throw new TypeError('not an Order');
    console.log(`order ${order.id} (${order.amount}) on ${record.topic}-${record.partition}@${record.offset}`);
    if (order.amount < 0) throw new RangeError(`order ${order.id}: negative amount`);
    done.add(order.id);
  },
);

await app.start();
for (let id = 1; id <= 6; id++) await app.template.send(topic, `order-${id}`, new Order(id, id === 4 ? -10 : id * 10));
while (done.size < 5 || dead.length < 1) await new Promise((r) => setTimeout(r, 100));
console.log(`handled ${[...done].sort().join(', ')}; dead-lettered ${dead.join(', ')}`);
await app.stop();
